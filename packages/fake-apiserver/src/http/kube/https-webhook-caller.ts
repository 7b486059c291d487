/**
 * The admission webhook call-out over HTTPS, as the apiserver makes it: POST the AdmissionReview to
 * `clientConfig.url?timeout=<n>s`, trusting only the configuration's caBundle (the system roots when
 * it has none), and give up after timeoutSeconds. Transport failures come back as values with a
 * Go-like `Post "<url>": <reason>` detail.
 */
import type { CallWebhook, WebhookReply } from "../../cluster/index.ts";

/** A {@link CallWebhook} over fetch. */
export function httpsWebhookCaller(): CallWebhook {
  return async (target, review): Promise<WebhookReply> => {
    let url: URL;
    try {
      url = new URL(target.url);
    } catch {
      return { kind: "unreachable", detail: `parse "${target.url}": invalid URL` };
    }
    url.searchParams.set("timeout", `${target.timeoutSeconds}s`);
    const shown = url.toString();
    const ca = target.caBundle === undefined ? undefined : Buffer.from(target.caBundle, "base64").toString("utf8");
    try {
      const res = await fetch(url, {
        method: "POST",
        body: JSON.stringify(review),
        headers: { "content-type": "application/json", accept: "application/json, */*" },
        signal: AbortSignal.timeout(target.timeoutSeconds * 1000),
        ...(ca !== undefined ? { tls: { ca } } : {}),
      });
      const text = await res.text();
      if (res.status < 200 || res.status > 299) {
        return { kind: "unreachable", detail: `an error on the server ("${text.slice(0, 200)}") has prevented the request from succeeding` };
      }
      try {
        return { kind: "reviewed", review: JSON.parse(text) };
      } catch {
        return { kind: "unreachable", detail: `Post "${shown}": invalid character in response body` };
      }
    } catch (e) {
      const err = e as { name?: string; code?: string; message?: string };
      const reason =
        err.name === "TimeoutError" || err.name === "AbortError"
          ? "context deadline exceeded"
          : err.code === "ConnectionRefused" || err.code === "ECONNREFUSED"
            ? `dial tcp ${url.host}: connect: connection refused`
            : /certificate|self.signed|CERT|verify/i.test(`${err.code ?? ""} ${err.message ?? ""}`)
              ? "x509: certificate signed by unknown authority"
              : (err.message ?? String(e));
      return { kind: "unreachable", detail: `Post "${shown}": ${reason}` };
    }
  };
}
