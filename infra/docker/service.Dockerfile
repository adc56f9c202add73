# The one image shape of every service (and of shop_stack's compose jobs), built from the
# repository root:
#
#   docker build -f infra/docker/service.Dockerfile --build-arg SERVICE=pricing -t shop/pricing:dev .
#   docker build -f infra/docker/service.Dockerfile --build-arg SERVICE=shop_stack \
#     --build-arg PACKAGE_DIR=infra -t shop/stack:dev .
#
# Layers from the least to the most often changed: Python, the third-party dependencies
# (pinned by constraints.txt), our libraries (both the same for every service, so built
# once), then the service, as plain wheels. A service change rebuilds only the last layer.
# Legacy-builder syntax only: no BuildKit-only features.
ARG PYTHON_IMAGE=python:3.11-slim
FROM ${PYTHON_IMAGE}

# Bytecode is compiled at build time: a container must not spend its start compiling every
# import (nor could it save the result, running as uid 10001).
ENV VIRTUAL_ENV=/opt/shop \
    PATH=/opt/shop/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_COMPILE_BYTECODE=1
WORKDIR /build
COPY constraints.txt infra/docker/requirements.txt ./
RUN python3 -m venv "$VIRTUAL_ENV" \
 && pip install --no-cache-dir --disable-pip-version-check \
      "uv==$(sed -n 's/^uv==//p' constraints.txt)" \
 && uv pip install --no-cache -c constraints.txt -r requirements.txt

# Our libraries: the same layer for every image, so it is built once per change.
COPY libs/ libs/
RUN uv pip install --no-cache --no-deps -c constraints.txt \
      ./libs/auth ./libs/contracts ./libs/telemetry ./libs/servicekit ./libs/http ./libs/messaging

# Declared only now: a different SERVICE must not invalidate the shared layers above.
ARG SERVICE
ARG PACKAGE_DIR=services/${SERVICE}
COPY ${PACKAGE_DIR}/ ${PACKAGE_DIR}/
COPY infra/docker/healthcheck.sh /usr/local/bin/shop-healthcheck
RUN uv pip install --no-cache --no-deps -c constraints.txt "./${PACKAGE_DIR}" && rm -rf /build

ENV SERVICE=${SERVICE}
WORKDIR /tmp
USER 10001:10001
EXPOSE 8000-8006 8100-8106 8080
HEALTHCHECK --interval=5s --timeout=5s --start-period=300s --retries=6 \
  CMD ["/usr/local/bin/shop-healthcheck"]
# `serve`, `work` or `migrate`; shop/stack's jobs name their module as the entrypoint.
ENTRYPOINT ["sh", "-c", "exec python -m \"$SERVICE\" \"$@\"", "--"]
CMD ["serve"]
