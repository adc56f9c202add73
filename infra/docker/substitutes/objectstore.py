"""The stand-in broker's object store: moto's S3 server with the broker's bucket made.

    objectstore.py            # serve on 0.0.0.0:$OBJECTSTORE_PORT (9000) until SIGTERM
    objectstore.py --check    # exit 0 once the bucket answers (the healthcheck)

It keeps objects in this process's memory: they outlive any number of broker restarts and
go with `docker compose down` (which drops the volumes of a real Kafka as well).
"""

import os
import signal
import sys
import threading
import urllib.request

PORT = int(os.environ.get("OBJECTSTORE_PORT", "9000"))
BUCKET = "tansu"
ENDPOINT = f"http://127.0.0.1:{PORT}"


def check() -> int:
    # Standard library only: the healthcheck runs every few seconds.
    request = urllib.request.Request(f"{ENDPOINT}/{BUCKET}", method="HEAD")
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            return 0 if response.status == 200 else 1
    except OSError:
        return 1


def _listings_to_the_microsecond() -> None:
    """Tansu takes a partition's end offset from the newest object in a listing, by
    LastModified; moto lists it to the second, so every batch written within one second
    ties and the end offset comes out stale (ListOffsets latest, used by replay-dlq and the
    lag figure). Report the full timestamp it keeps."""
    from moto.core.serialize import TimestampSerializer
    from moto.s3.models import FakeKey

    FakeKey.last_modified_ISO8601 = property(lambda key: key.last_modified)
    TimestampSerializer._timestamp_iso8601_zeroed = TimestampSerializer._timestamp_iso8601


def serve() -> None:
    import boto3
    from moto.server import ThreadedMotoServer

    _listings_to_the_microsecond()
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    server = ThreadedMotoServer(ip_address="0.0.0.0", port=PORT, verbose=False)
    server.start()
    # Any credentials do: moto checks none.
    boto3.client(
        "s3",
        endpoint_url=ENDPOINT,
        region_name="us-east-1",
        aws_access_key_id="tansu",
        aws_secret_access_key="tansu",
    ).create_bucket(Bucket=BUCKET)
    print(f"object store on :{PORT}, bucket {BUCKET!r}", flush=True)
    stopping.wait()
    server.stop()


if __name__ == "__main__":
    sys.exit(check() if sys.argv[1:] == ["--check"] else serve())
