"""The stand-in broker's object store: moto's S3 server with the broker's bucket made.

    objectstore.py            # serve on 0.0.0.0:9000 until SIGTERM
    objectstore.py --check    # exit 0 once the bucket answers (the healthcheck)

It keeps objects in this process's memory: they outlive any number of broker restarts and
go with `docker compose down` (which drops the volumes of a real Kafka as well).
"""

import signal
import sys
import threading

import boto3
from moto.server import ThreadedMotoServer

PORT = 9000
BUCKET = "tansu"
ENDPOINT = f"http://127.0.0.1:{PORT}"


def client():  # type: ignore[no-untyped-def]
    # Any credentials do: moto checks none. Tansu is given the same region.
    return boto3.client(
        "s3",
        endpoint_url=ENDPOINT,
        region_name="us-east-1",
        aws_access_key_id="tansu",
        aws_secret_access_key="tansu",
    )


def check() -> int:
    try:
        client().head_bucket(Bucket=BUCKET)
    except Exception:  # noqa: BLE001 - any failure means "not ready yet"
        return 1
    return 0


def serve() -> None:
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    server = ThreadedMotoServer(ip_address="0.0.0.0", port=PORT, verbose=False)
    server.start()
    client().create_bucket(Bucket=BUCKET)
    print(f"object store on :{PORT}, bucket {BUCKET!r}", flush=True)
    stopping.wait()
    server.stop()


if __name__ == "__main__":
    sys.exit(check() if sys.argv[1:] == ["--check"] else serve())
