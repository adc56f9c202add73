"""Deployments, Services, migration Jobs, the reconciliation CronJob, PDBs and HPAs.

    documents = service_workloads(plan, "checkout", max_consumers=3)

Every pod runs the service's image (entrypoint `python -m <service>`) with one argument,
its role, takes its settings from the service's ConfigMap and Secret, runs as a non-root
user on a read-only root filesystem, and is spread over zones and nodes.
"""

from __future__ import annotations

from typing import Any

from shop_k8s import cluster
from shop_k8s.plan import ClusterPlan, Process
from shop_k8s.sizing import resources

Manifest = dict[str, Any]

RUN_AS = 10001
# Serve replicas without an autoscaler; checkout's serve and every worker have one.
SERVE_REPLICAS = 2
CHECKOUT_MAX_REPLICAS = 6
CPU_TARGET_PERCENT = 70
RECONCILE_SCHEDULE = "*/5 * * * *"  # the worker's own default interval (300 s), which it replaces
RECONCILE_ARGS = ("reconcile", "--since", "24h")
# Exit codes of `python -m reconciliation reconcile` a retry cannot change: 1 drift left
# (a person reads the findings), 2 usage error, 4 another run holds the lock (the next
# schedule runs). 3 (a source of truth could not be read) and crashes are retried.
RECONCILE_FINAL_EXIT_CODES = (1, 2, 4)


def _pod_security() -> Manifest:
    return {
        "runAsNonRoot": True,
        "runAsUser": RUN_AS,
        "runAsGroup": RUN_AS,
        "fsGroup": RUN_AS,
        "seccompProfile": {"type": "RuntimeDefault"},
    }


def _container_security() -> Manifest:
    return {
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": True,
        "capabilities": {"drop": ["ALL"]},
    }


def _container(service: str, name: str, args: list[str], role: str) -> Manifest:
    return {
        "name": name,
        "image": cluster.image(service),
        "args": args,
        "envFrom": [
            {"configMapRef": {"name": cluster.config_map(service)}},
            {"secretRef": {"name": cluster.secret(service)}},
        ],
        "resources": resources(service, role),
        "securityContext": _container_security(),
        # Python and its libraries may write temporary files; the root filesystem is read-only
        # (bandit B108: /tmp here is the pod's own emptyDir).
        "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}],  # nosec B108
    }


def _pod_spec(containers: list[Manifest], restart: str | None = None) -> Manifest:
    spec: Manifest = {
        "securityContext": _pod_security(),
        "automountServiceAccountToken": False,
        "containers": containers,
        "volumes": [{"name": "tmp", "emptyDir": {"sizeLimit": "64Mi"}}],
    }
    if restart:
        spec["restartPolicy"] = restart
    return spec


def _probe(path: str, period: int, timeout: int, failures: int) -> Manifest:
    return {
        "httpGet": {"path": path, "port": "http"},
        "periodSeconds": period,
        "timeoutSeconds": timeout,
        "failureThreshold": failures,
    }


def _spread(process: Process) -> list[Manifest]:
    # ScheduleAnyway: a small cluster (kind has one node) must still schedule every pod.
    return [
        {
            "maxSkew": 1,
            "topologyKey": key,
            "whenUnsatisfiable": "ScheduleAnyway",
            "labelSelector": {"matchLabels": cluster.selector(process.service, process.role)},
        }
        for key in ("topology.kubernetes.io/zone", "kubernetes.io/hostname")
    ]


def _metadata(name: str, service: str, component: str) -> Manifest:
    return {"name": name, "labels": cluster.labels(service, component)}


def deployment(process: Process, autoscaled: bool) -> Manifest:
    container = _container(process.service, process.role, [process.role], process.role)
    container["ports"] = [{"name": "http", "containerPort": process.port}]
    # /health/ready checks the database and the broker (2 s deadline each): out of the
    # Service while they are down; /health/live only says the process answers.
    container["readinessProbe"] = _probe("/health/ready", period=5, timeout=3, failures=3)
    container["livenessProbe"] = _probe("/health/live", period=10, timeout=2, failures=3)
    container["startupProbe"] = _probe("/health/live", period=2, timeout=2, failures=30)
    pod = _pod_spec([container])
    pod["topologySpreadConstraints"] = _spread(process)
    pod["terminationGracePeriodSeconds"] = 30
    spec: Manifest = {
        "selector": {"matchLabels": cluster.selector(process.service, process.role)},
        "template": {
            "metadata": {"labels": cluster.labels(process.service, process.role)},
            "spec": pod,
        },
    }
    if not autoscaled:
        # An autoscaled Deployment leaves replicas to its HPA, or every apply would reset it.
        spec = {"replicas": SERVE_REPLICAS, **spec}
    if process.role == "serve":
        spec["strategy"] = {"rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1}}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": _metadata(process.name, process.service, process.role),
        "spec": spec,
    }


def service(process: Process) -> Manifest:
    """The serve process's Service, named after the service: `http://pricing:8001`."""
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": _metadata(process.service, process.service, process.role),
        "spec": {
            "selector": cluster.selector(process.service, process.role),
            "ports": [{"name": "http", "port": process.port, "targetPort": "http"}],
        },
    }


def migration_job(name: str, service_name: str) -> Manifest:
    container = _container(service_name, "migrate", ["migrate"], "migrate")
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": _metadata(name, service_name, "migrate"),
        "spec": {
            "backoffLimit": 3,
            # Gone an hour after it finished, so the next release's apply creates it afresh
            # (a Job's pod template is immutable).
            "ttlSecondsAfterFinished": 3600,
            "template": {
                "metadata": {"labels": cluster.labels(service_name, "migrate")},
                "spec": _pod_spec([container], restart="OnFailure"),
            },
        },
    }


def reconcile_cronjob() -> Manifest:
    svc = "reconciliation"
    container = _container(svc, "reconcile", list(RECONCILE_ARGS), "reconcile")
    return {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": _metadata(f"{svc}-reconcile", svc, "reconcile"),
        "spec": {
            "schedule": RECONCILE_SCHEDULE,
            "timeZone": "Etc/UTC",
            # The job also takes an advisory lock; Forbid keeps a slow run from piling up pods.
            "concurrencyPolicy": "Forbid",
            "startingDeadlineSeconds": 120,
            "successfulJobsHistoryLimit": 3,
            "failedJobsHistoryLimit": 5,
            "jobTemplate": {
                "spec": {
                    "backoffLimit": 2,
                    "activeDeadlineSeconds": 1800,
                    "podFailurePolicy": {
                        "rules": [
                            {
                                "action": "FailJob",
                                "onExitCodes": {
                                    "containerName": "reconcile",
                                    "operator": "In",
                                    "values": list(RECONCILE_FINAL_EXIT_CODES),
                                },
                            },
                            {
                                "action": "Ignore",
                                "onPodConditions": [{"type": "DisruptionTarget", "status": "True"}],
                            },
                        ]
                    },
                    "template": {
                        "metadata": {"labels": cluster.labels(svc, "reconcile")},
                        "spec": _pod_spec([container], restart="Never"),
                    },
                }
            },
        },
    }


def disruption_budget(process: Process) -> Manifest:
    # maxUnavailable, not minAvailable: a one-replica Deployment (kind) still drains.
    return {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": _metadata(process.name, process.service, process.role),
        "spec": {
            "maxUnavailable": 1,
            "selector": {"matchLabels": cluster.selector(process.service, process.role)},
        },
    }


def autoscaler(process: Process, min_replicas: int, max_replicas: int) -> Manifest:
    return {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": _metadata(process.name, process.service, process.role),
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": process.name},
            "minReplicas": min_replicas,
            "maxReplicas": max_replicas,
            "metrics": [
                {
                    "type": "Resource",
                    "resource": {
                        "name": "cpu",
                        "target": {"type": "Utilization", "averageUtilization": CPU_TARGET_PERCENT},
                    },
                }
            ],
        },
    }


def autoscaled(process: Process) -> bool:
    """Checkout's API and every worker (the consumers) scale; the other APIs run fixed."""
    return process.role == "work" or process.service == "checkout"


def service_workloads(plan: ClusterPlan, service_name: str, max_consumers: int) -> list[Manifest]:
    """Every workload of one service, in a stable order.

    Workers scale up to `max_consumers`: the partition count of the topics, past which a
    consumer group's extra members get no partition and sit idle.
    """
    documents: list[Manifest] = []
    for migration in plan.migrations:
        if migration.service == service_name:
            documents.append(migration_job(migration.name, service_name))
    for process in plan.processes:
        if process.service != service_name:
            continue
        scaled = autoscaled(process)
        documents.append(deployment(process, scaled))
        if process.role == "serve":
            documents.append(service(process))
        if scaled:
            documents.append(disruption_budget(process))
            if process.role == "work":
                documents.append(autoscaler(process, 1, max_consumers))
            else:
                documents.append(autoscaler(process, SERVE_REPLICAS, CHECKOUT_MAX_REPLICAS))
    if service_name == "reconciliation":
        documents.append(reconcile_cronjob())
    return documents
