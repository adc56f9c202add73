# Storage for the stand-in broker: an S3-compatible object store (moto's server) holding one
# bucket, `tansu`, in which the broker keeps its topics, logs, groups and offsets. The bundled
# Tansu binary stores in memory or in S3 only (its PostgreSQL and SQLite engines are not
# compiled in), so this is what makes a broker restart keep its state, as Kafka's disk does.
FROM shop-local/python:3.11
RUN python -m venv /opt/objectstore \
 && /opt/objectstore/bin/pip install --no-cache-dir --quiet "moto[server]==5.2.5"
COPY objectstore.py /opt/objectstore/
USER 10001
EXPOSE 9000
ENTRYPOINT ["/opt/objectstore/bin/python", "/opt/objectstore/objectstore.py"]
HEALTHCHECK --interval=2s --retries=60 \
  CMD ["/opt/objectstore/bin/python", "/opt/objectstore/objectstore.py", "--check"]
