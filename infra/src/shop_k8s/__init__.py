"""Kubernetes manifests for the shop, generated from the stack topology so they cannot drift.

    python -m shop_k8s            # (re)write infra/k8s from the topology and settings
    python -m shop_k8s --check    # exit 1 and name the files that are stale

The processes and ports come from `shop_stack.topology`, the topics from
`shop_stack.topics`, every ConfigMap entry from the services' settings classes
(`shop_k8s.settings_catalog`). docs/deploying.md says how to use the result.
"""
