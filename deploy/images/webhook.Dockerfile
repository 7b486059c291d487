# The admission webhook image: the webhook compiled by `bun build --compile` into one self-contained
# executable, on a distroless base (glibc, CA certificates, no shell, no package manager), non-root.
#
#   docker build -f deploy/images/webhook.Dockerfile -t ghcr.io/container-actions/webhook:0.1.0 .
#
# Run from the repository root (the build context). webhook.Dockerfile.dockerignore keeps
# node_modules, .cache and .git out of the context.

# The base images are build arguments so that the same file builds where no registry is reachable
# (the e2e cluster suite builds on a local Debian with bun copied in: tools/real-cluster/images.sh);
# the defaults are the production bases.
ARG BUN_IMAGE=oven/bun:1.4.5
ARG RUNTIME_IMAGE=gcr.io/distroless/base-debian12:nonroot

FROM ${BUN_IMAGE} AS build
WORKDIR /src
# Every workspace's manifest, so that the frozen lockfile matches (add a line for a new workspace).
COPY package.json bun.lock ./
COPY packages/core/package.json packages/core/
COPY packages/cli-options/package.json packages/cli-options/
COPY packages/client/package.json packages/client/
COPY packages/sim-kernel/package.json packages/sim-kernel/
COPY packages/fake-apiserver/package.json packages/fake-apiserver/
COPY packages/fake-docker/package.json packages/fake-docker/
COPY packages/sim-world/package.json packages/sim-world/
COPY packages/kube-adapters/package.json packages/kube-adapters/
COPY packages/docker-adapters/package.json packages/docker-adapters/
COPY apps/controller/package.json apps/controller/
COPY apps/kubectl-container/package.json apps/kubectl-container/
COPY apps/webhook/package.json apps/webhook/
COPY apps/simulator/package.json apps/simulator/
COPY e2e/package.json e2e/
COPY bench/package.json bench/
RUN bun install --frozen-lockfile --production
COPY packages/core/ packages/core/
COPY packages/cli-options/ packages/cli-options/
COPY apps/webhook/ apps/webhook/
RUN bun build --compile apps/webhook/src/main.ts --outfile /out/webhook

FROM ${RUNTIME_IMAGE}
COPY --from=build /out/webhook /usr/local/bin/container-actions-webhook
# 9443: HTTPS admission; 9441: /healthz, /readyz, /metrics.
EXPOSE 9443 9441
ENTRYPOINT ["/usr/local/bin/container-actions-webhook"]
