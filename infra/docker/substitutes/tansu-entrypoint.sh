#!/bin/sh
# Tansu has one listener, so it advertises an address every client can route to: this
# container's own (the compose network's and, on Linux, the host's route to the bridge),
# or TANSU_ADVERTISED_HOST when a port is published 1:1 (testcontainers).
# TANSU_STORAGE_ENGINE: memory://tansu/ (the default: a restart forgets everything) or
# s3://<bucket>/ with AWS_ENDPOINT etc. (compose: the kafka-storage object store).
set -eu
port=${TANSU_PORT:-9092}
host=${TANSU_ADVERTISED_HOST:-$(hostname -i | cut -d' ' -f1)}
exec tansu broker --listener-url "tcp://0.0.0.0:$port" \
  --advertised-listener-url "tcp://$host:$port" --storage-engine "${TANSU_STORAGE_ENGINE:-memory://tansu/}"
