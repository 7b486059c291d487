# The controller image: the controller compiled by `bun build --compile` into one self-contained
# executable, on a distroless base (glibc, CA certificates, no shell, no package manager).
#
#   docker build -f deploy/images/controller.Dockerfile -t ghcr.io/container-actions/controller:0.1.0 .
#
# Run from the repository root (the build context). controller.Dockerfile.dockerignore keeps
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
COPY packages/kube-adapters/ packages/kube-adapters/
COPY packages/docker-adapters/ packages/docker-adapters/
COPY apps/controller/ apps/controller/
# cpu-features is an optional native addon of ssh2 (dockerode's ssh transport), loaded in a try/catch;
# left external, it is simply absent at run time.
RUN bun build --compile --external cpu-features apps/controller/src/main.ts --outfile /out/controller

# Non-root by default; the Deployment runs it as uid 0 without capabilities for the Docker socket
# (deploy/base/controller-deployment.yaml, docs/operations.md).
FROM ${RUNTIME_IMAGE}
COPY --from=build /out/controller /usr/local/bin/container-actions-controller
EXPOSE 9440
ENTRYPOINT ["/usr/local/bin/container-actions-controller"]
