"""Every Kubernetes manifest, as each overlay renders it, against the Kubernetes schemas.

kubernetes-validate ships the schemas in its wheel (no network): strict mode refuses any
field the API does not know. Strimzi's KafkaTopic is not a core kind: it is validated
against the schema in k8s_schemas/, written for the fields the shop uses.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
from kubernetes_validate.utils import ValidationError

# The oldest Kubernetes the manifests need (Job podFailurePolicy went GA in 1.31) and
# the newest the validator knows.
KUBERNETES_VERSIONS = ("1.31.0", kubernetes_validate.utils.latest_version())
KAFKA_TOPIC_SCHEMA = Path(__file__).parent / "k8s_schemas/kafkatopic-kafka.strimzi.io-v1beta2.json"

TREES = ("base", "overlays/local", "overlays/production")
Rendered = Mapping[str, list[dict[str, Any]]]


def test_every_overlay_is_rendered_and_validated_here(rendered_k8s: Rendered) -> None:
    assert sorted(rendered_k8s) == sorted(TREES)


def core(documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [d for d in documents if d["kind"] != "KafkaTopic"]


# Every tree against the oldest version; the newest sees the base, since the overlays change
# names, images, replicas and namespaces, nothing an API version decides (each pass
# parses the schemas again: about six seconds).
VALIDATIONS = [(tree, KUBERNETES_VERSIONS[0]) for tree in TREES] + [
    ("base", KUBERNETES_VERSIONS[1])
]


@pytest.mark.parametrize(("tree", "version"), VALIDATIONS)
def test_every_manifest_validates_against_the_kubernetes_schemas(
    rendered_k8s: Rendered, tree: str, version: str
) -> None:
    documents = core(rendered_k8s[tree])
    failures = []
    for document in documents:
        try:
            kubernetes_validate.validate(document, version, strict=True)
        except ValidationError as exc:
            failures.append(f"{document['kind']}/{document['metadata']['name']}: {exc}")
    assert failures == []
    assert len(documents) > 50


@pytest.mark.parametrize("tree", TREES)
def test_kafka_topics_validate_against_the_strimzi_schema(
    rendered_k8s: Rendered, tree: str
) -> None:
    schema = json.loads(KAFKA_TOPIC_SCHEMA.read_text())
    topics = [d for d in rendered_k8s[tree] if d["kind"] == "KafkaTopic"]

    for topic in topics:
        jsonschema.validate(topic, schema)
    assert len(topics) >= 5


def test_the_validator_refuses_a_misspelt_field_and_a_wrong_type(rendered_k8s: Rendered) -> None:
    deployment = next(d for d in rendered_k8s["base"] if d["kind"] == "Deployment")
    misspelt = copy.deepcopy(deployment)
    misspelt["spec"]["replica"] = 2
    wrong_type = copy.deepcopy(deployment)
    wrong_type["spec"]["template"]["spec"]["containers"][0]["ports"][0]["containerPort"] = "http"

    for broken in (misspelt, wrong_type):
        with pytest.raises(ValidationError):
            kubernetes_validate.validate(broken, KUBERNETES_VERSIONS[0], strict=True)


def test_the_kafka_topic_schema_refuses_an_unknown_field_and_a_missing_cluster() -> None:
    schema = json.loads(KAFKA_TOPIC_SCHEMA.read_text())
    topic = {
        "apiVersion": "kafka.strimzi.io/v1beta2",
        "kind": "KafkaTopic",
        "metadata": {"name": "t", "labels": {"strimzi.io/cluster": "shop"}},
        "spec": {"topicName": "t", "partitions": 3, "replicas": 1},
    }
    jsonschema.validate(topic, schema)
    unknown = copy.deepcopy(topic)
    unknown["spec"]["partition"] = 3
    no_cluster = copy.deepcopy(topic)
    no_cluster["metadata"]["labels"] = {}

    for broken in (unknown, no_cluster):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(broken, schema)


def test_the_schemas_ship_inside_the_validator_package() -> None:
    # What makes the validation work offline: nothing is fetched at run time.
    shipped = resources.files("kubernetes_validate") / "kubernetes-json-schema"
    for version in KUBERNETES_VERSIONS:
        folder = shipped / f"v{version}-local-strict"
        assert (folder / "deployment-apps-v1.json").is_file()
        assert (folder / "_definitions.json").is_file()
