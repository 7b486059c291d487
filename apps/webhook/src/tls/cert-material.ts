/** The PEM texts the webhook serves with and hands to the apiserver. */

/** A certificate and its private key, PEM-encoded. */
export interface PemPair {
  certPem: string;
  keyPem: string;
}

/** What the HTTPS listener needs, plus the CA bundle that clients (the apiserver) must trust. */
export interface ServingMaterial {
  /** Leaf certificate (optionally followed by intermediates), PEM. */
  certPem: string;
  keyPem: string;
  /** The CA that signed `certPem`, PEM: the registration's `caBundle`. Empty when unknown (external files without a CA). */
  caPem: string;
}

/** True when two materials would serve and register identically. */
export function sameMaterial(a: ServingMaterial | undefined, b: ServingMaterial | undefined): boolean {
  return a !== undefined && b !== undefined && a.certPem === b.certPem && a.keyPem === b.keyPem && a.caPem === b.caPem;
}
