"""The container and Kubernetes files, checked without an engine: the manifests against the
Kubernetes schemas, compose.yaml against the compose specification, the Dockerfile's shape,
every variable they give the shop documented in .env.example, and the Ingress routing as
the nginx template does."""

import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
MANIFESTS = sorted((ROOT / "deploy" / "k8s").glob("*.yaml"))
# Placeholders only: not applied with the directory, and refused by the production settings.
SECRET_EXAMPLE = ROOT / "deploy" / "k8s" / "secret.yaml.example"
SHOP_IMAGE = "shop:latest"


def documented_variables() -> set[str]:
    """Names .env.example sets or shows commented out (`NAME=...` or `# NAME=...`)."""
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", text, flags=re.MULTILINE))


def manifests() -> list[dict]:
    """What `kubectl apply -f deploy/k8s/` applies, and the example Secret beside it."""
    paths = [*MANIFESTS, SECRET_EXAMPLE]
    return [doc for path in paths for doc in yaml.safe_load_all(path.read_text()) if doc]


def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


@pytest.mark.parametrize("path", [*MANIFESTS, SECRET_EXAMPLE], ids=lambda p: p.name)
def test_kubernetes_manifests_match_the_kubernetes_schemas(path):
    import kubernetes_validate

    for document in yaml.safe_load_all(path.read_text()):
        kubernetes_validate.validate(document, desired_version="1.37.0", strict=True)


def test_kubernetes_has_every_part_of_the_topology():
    kinds = {(doc["kind"], doc["metadata"]["name"]) for doc in manifests()}
    for name in ("shop-web", "shop-ws", "shop-worker", "shop-beat"):
        assert ("Deployment", name) in kinds
    for name in ("shop-web", "shop-ws"):
        assert {("Service", name), ("HorizontalPodAutoscaler", name)} <= kinds
    assert {("PodDisruptionBudget", n) for n in ("shop-web", "shop-ws", "shop-worker")} <= kinds
    assert {
        ("ConfigMap", "shop-config"),
        ("Secret", "shop-secrets"),
        ("Job", "shop-migrate"),
    } <= kinds
    deployments = {d["metadata"]["name"]: d for d in manifests() if d["kind"] == "Deployment"}
    assert deployments["shop-beat"]["spec"]["replicas"] == 1
    assert deployments["shop-beat"]["spec"]["strategy"]["type"] == "Recreate"
    for name in ("shop-web", "shop-ws"):
        [container] = deployments[name]["spec"]["template"]["spec"]["containers"]
        assert container["readinessProbe"]["httpGet"]["path"] == "/health/ready"
        assert container["livenessProbe"]["httpGet"]["path"] == "/health/live"
    for deployment in deployments.values():
        assert deployment["spec"]["template"]["spec"]["securityContext"]["runAsNonRoot"]


def test_no_secret_is_applied_with_the_manifests():
    applied = [doc for path in MANIFESTS for doc in yaml.safe_load_all(path.read_text()) if doc]
    assert not [doc for doc in applied if doc["kind"] == "Secret"]


def test_the_production_settings_refuse_every_placeholder_of_the_example_secret(tmp_path):
    """A cluster applied with the example's values as they are must not start."""
    import secrets
    import subprocess
    import sys

    from ops.servers import child_environment

    [secret] = yaml.safe_load_all(SECRET_EXAMPLE.read_text())
    real = {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "shop.example.com",
        "SHOP_URL": "https://shop.example.com",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "PAYMENT_PROVIDER": "mercadopago",
        "MERCADOPAGO_ACCESS_TOKEN": secrets.token_urlsafe(32),
        "MERCADOPAGO_WEBHOOK_SECRET": secrets.token_urlsafe(32),
        "METRICS_TOKEN": secrets.token_urlsafe(32),
    }

    def check(env):
        return subprocess.run(
            [sys.executable, "manage.py", "check"],
            cwd=ROOT,
            env=child_environment(**env),
            capture_output=True,
            text=True,
        )

    assert check(real).returncode == 0
    placeholders = {k: v for k, v in secret["stringData"].items() if "replace" in v}
    assert set(placeholders) >= {"SECRET_KEY", "METRICS_TOKEN", "MERCADOPAGO_ACCESS_TOKEN"}
    for name, value in placeholders.items():
        result = check(real | {name: value})
        assert result.returncode != 0, name
        assert f"{name} is still an example's placeholder" in result.stderr
    short = check(real | {"METRICS_TOKEN": "s3cret-metrics-token"})
    assert short.returncode != 0 and "METRICS_TOKEN must be at least 32" in short.stderr


def test_compose_file_matches_the_compose_specification():
    import check_jsonschema
    import jsonschema

    schema_path = (
        Path(check_jsonschema.__file__).parent / "builtin_schemas/vendor/compose-spec.json"
    )
    schema = json.loads(schema_path.read_text())
    jsonschema.validate(compose(), schema)
    services = compose()["services"]
    assert {"nginx", "web", "ws", "worker", "beat", "postgres", "redis"} <= set(services)
    template = services["nginx"]["volumes"][0]
    assert template.startswith("./deploy/nginx/shop.conf.template:/etc/nginx/templates/")
    # nginx's image fills only the placeholders its environment defines: all of them.
    text = (ROOT / "deploy" / "nginx" / "shop.conf.template").read_text()
    placeholders = set(re.findall(r"\$\{([A-Z_]+)\}", text))
    assert placeholders == set(services["nginx"]["environment"])


def test_every_variable_given_to_the_shop_is_documented_in_env_example():
    documented = documented_variables()
    given = {}
    for name, service in compose()["services"].items():
        if service.get("image", SHOP_IMAGE) == SHOP_IMAGE or name == "nginx":
            given.update(dict.fromkeys(service.get("environment", {}), f"compose.yaml {name}"))
    for doc in manifests():
        where = f"{doc['kind']} {doc['metadata']['name']}"
        for key in (*doc.get("data", {}), *doc.get("stringData", {})):
            given[key] = where
        pod = doc.get("spec", {}).get("template", {}).get("spec", {})
        for container in pod.get("containers", []):
            given.update(dict.fromkeys((e["name"] for e in container.get("env", [])), where))
    assert len(given) > 20
    undocumented = {name: where for name, where in given.items() if name not in documented}
    assert not undocumented, f"set but not in .env.example: {undocumented}"


def test_the_dockerfile_is_multi_stage_non_root_with_static_files_and_a_healthcheck():
    from dockerfile_parse import DockerfileParser

    parser = DockerfileParser(path=str(ROOT / "Dockerfile"))
    instructions = [(i["instruction"], i["value"]) for i in parser.structure]
    stages = [value for instruction, value in instructions if instruction == "FROM"]
    assert len(stages) >= 2
    final = instructions[max(i for i, (ins, _) in enumerate(instructions) if ins == "FROM") :]
    users = [value for instruction, value in final if instruction == "USER"]
    assert users and users[-1] not in ("root", "0")
    assert any(ins == "HEALTHCHECK" and "/health/live" in value for ins, value in final)
    assert any(ins == "RUN" and "collectstatic" in value for ins, value in instructions)
    assert any(ins == "COPY" and "--from=build" in value for ins, value in final)


def test_the_ingress_routes_as_the_nginx_template_does():
    template = (ROOT / "deploy" / "nginx" / "shop.conf.template").read_text()
    claims = re.search(r"location ~ \^(\S+) \{", template).group(1)
    body_size = re.search(r"client_max_body_size (\S+);", template).group(1)
    ingresses = [doc for doc in manifests() if doc["kind"] == "Ingress"]
    routes = {
        path["path"]: path["backend"]["service"]["name"]
        for ingress in ingresses
        for rule in ingress["spec"]["rules"]
        for path in rule["http"]["paths"]
    }
    assert routes == {"/ws/": "shop-ws", claims: "shop-ws", "/": "shop-web"}
    for ingress in ingresses:
        annotations = ingress["metadata"]["annotations"]
        assert annotations["nginx.ingress.kubernetes.io/proxy-body-size"] == body_size
        assert annotations["nginx.ingress.kubernetes.io/proxy-request-buffering"] == "on"
        assert annotations["nginx.ingress.kubernetes.io/proxy-next-upstream"] == "off"
    # The same commands as the Procfile that `make run-prod` runs.
    procfile = (ROOT / "Procfile").read_text()
    assert "--lifespan off --no-access-log" in procfile
    ws = next(
        d for d in manifests() if d["kind"] == "Deployment" and d["metadata"]["name"] == "shop-ws"
    )
    command = ws["spec"]["template"]["spec"]["containers"][0]["command"]
    assert command[:2] == ["uvicorn", "config.asgi:application"]
    assert " ".join(command).endswith("--lifespan off --no-access-log")
