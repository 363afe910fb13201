"""`make package`: the AWS template, the Lambda zip and the site bundle, built without AWS."""

from __future__ import annotations

import json
import re
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

from chalicelib import schema
from chalicelib.api.codes import ERRORS
from deploy import iam
from deploy.gateway_responses import MAPPING
from deploy.package import FORBIDDEN_IN_ZIP, MAX_ZIP_BYTES
from deploy.site_template import csp, origin_of

from .support.package import API_URL, BIN, ROOT, SITE_URL


def resources(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == kind}


def test_cfn_lint_finds_no_error(built: dict[str, Any]) -> None:
    files = [str(built["package"] / "sam.json"), str(built["package"] / "site.json")]
    result = subprocess.run([str(BIN / "cfn-lint"), *files], capture_output=True, text=True)
    # cfn-lint's exit code is a bit mask: 1 crash, 2 errors, 4 warnings, 8 informational.
    assert result.returncode & 3 == 0, result.stdout + result.stderr


def test_every_table_is_in_the_template_as_defined(built: dict[str, Any]) -> None:
    tables = {
        r["Properties"]["TableName"]: r
        for r in resources(built["template"], "AWS::DynamoDB::Table").values()
    }
    assert set(tables) == {f"portal-{t.name}" for t in schema.TABLES}
    for table in schema.TABLES:
        resource = tables[f"portal-{table.name}"]
        props = resource["Properties"]
        assert resource["DeletionPolicy"] == "Retain"
        assert props["BillingMode"] == "PAY_PER_REQUEST"
        assert "ProvisionedThroughput" not in props
        assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
        keys = {k["KeyType"]: k["AttributeName"] for k in props["KeySchema"]}
        assert keys == {
            "HASH": table.hash_key,
            **({"RANGE": table.range_key} if table.range_key else {}),
        }
        if table.ttl_attribute:
            assert props["TimeToLiveSpecification"] == {
                "AttributeName": table.ttl_attribute,
                "Enabled": True,
            }
        else:
            assert "TimeToLiveSpecification" not in props
        indexes = {i["IndexName"]: i for i in props.get("GlobalSecondaryIndexes", [])}
        assert set(indexes) == {i.name for i in table.indexes}
        for index in table.indexes:
            keys = {k["KeyType"]: k["AttributeName"] for k in indexes[index.name]["KeySchema"]}
            assert keys["HASH"] == index.hash_key
            assert keys.get("RANGE") == index.range_key
            assert "ProvisionedThroughput" not in indexes[index.name]


def role_statements(template: dict[str, Any], role_id: str = "ApiHandlerRole") -> list[Any]:
    """The inline policy statements of one role of the template."""
    role = template["Resources"][role_id]
    assert role["Type"] == "AWS::IAM::Role"
    assert not role["Properties"].get("ManagedPolicyArns"), "no managed policies on the role"
    return [s for p in role["Properties"]["Policies"] for s in p["PolicyDocument"]["Statement"]]


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def test_role_policy_is_least_privilege(built: dict[str, Any]) -> None:
    statements = role_statements(built["template"])
    assert statements
    actions = set()
    for statement in statements:
        assert statement["Effect"] == "Allow"
        for action in as_list(statement["Action"]):
            assert action not in ("*", "dynamodb:*") and "*" not in action, statement
            actions.add(action)
        for resource in as_list(statement["Resource"]):
            assert resource != "*", statement
            text = json.dumps(resource)
            assert "${AWS::Region}" in text and "${AWS::AccountId}" in text, statement
            if "dynamodb" in text:
                assert "table/portal-" in text and "*" not in text, statement
            elif "secretsmanager" in text:  # the stack's own secret, nothing else
                assert f"secret:{iam.SECRET_NAME}-*" in text, statement
            else:  # log streams of the function's own log group are named at run time
                assert f"log-group:/aws/lambda/{iam.FUNCTION_NAME}:*" in text, statement
    need = iam.required_actions()
    assert actions == need.sis | need.service | iam.LOG_ACTIONS | iam.SECRET_ACTIONS
    assert not actions & {"ses:SendEmail", "ses:SendRawEmail"}, "the API sends no mail"
    for cli_only in ("CreateTable", "DeleteTable", "UpdateTable", "UpdateTimeToLive", "Scan"):
        assert f"dynamodb:{cli_only}" not in actions
    # The SIS mirror is written by `portal sis import` only: the function just reads it.
    sis = [s for s in statements if "table/portal-sis" in json.dumps(s["Resource"])]
    sis_actions = {a for s in sis for a in as_list(s["Action"])}
    assert sis_actions <= {"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"}


@pytest.mark.unit
def test_policy_file_matches_what_the_code_reaches() -> None:
    assert iam.policy_problems() == []


@pytest.mark.unit
def test_policy_analysis_sees_the_cli_only_calls() -> None:
    """The importer's scan and batch write are found, and excluded only as unreachable."""
    functions, _ = iam._parse_storage()
    assert "scan" in functions[("sis", "scan")].calls
    assert "batch_write_item" in functions[("sis", "_write_chunk")].calls
    assert "create_table" in functions[("tables", "create_tables")].calls
    reachable = iam.required_actions().reachable
    assert ("sis", "scan") not in reachable
    assert ("tables", "create_tables") not in reachable
    assert ("accounts", "complete_claim") in reachable


def test_gateway_answers_have_the_contract_shape(built: dict[str, Any]) -> None:
    body = built["template"]["Resources"]["RestAPI"]["Properties"]["DefinitionBody"]
    responses = body["x-amazon-apigateway-gateway-responses"]
    for kind in (
        "MISSING_AUTHENTICATION_TOKEN",
        "RESOURCE_NOT_FOUND",
        "DEFAULT_4XX",
        "DEFAULT_5XX",
    ):
        assert kind in responses
    assert set(responses) == set(MAPPING)
    for kind, response in responses.items():
        text = response["responseTemplates"]["application/json"]
        assert "$" not in text, f"{kind} must not echo request data"
        answer = json.loads(text)
        assert answer["error"] in ERRORS and answer["message"]
        assert int(response["statusCode"]) < 500 or answer["error"] == "unavailable"
        assert response["responseParameters"]["gatewayresponse.header.Access-Control-Allow-Origin"]
    missing = responses["MISSING_AUTHENTICATION_TOKEN"]
    assert missing["statusCode"] == "404"
    assert json.loads(missing["responseTemplates"]["application/json"])["error"] == "not_found"
    assert responses["DEFAULT_5XX"]["statusCode"] == "503"
    throttled = json.loads(responses["THROTTLED"]["responseTemplates"]["application/json"])
    assert throttled["error"] == "too_many_attempts" and throttled["retry_after"] > 0


def test_known_paths_answer_405_for_other_methods(built: dict[str, Any]) -> None:
    paths = built["template"]["Resources"]["RestAPI"]["Properties"]["DefinitionBody"]["paths"]
    for path, methods in paths.items():
        integration = methods["x-amazon-apigateway-any-method"]["x-amazon-apigateway-integration"]
        assert integration["type"] == "mock", path
        answer = integration["responses"]["default"]
        assert answer["statusCode"] == "405"
        assert json.loads(answer["responseTemplates"]["application/json"])["error"] == (
            "method_not_allowed"
        )


def test_function_environment_and_concurrency(built: dict[str, Any]) -> None:
    template = built["template"]
    function = template["Resources"]["APIHandler"]["Properties"]
    variables = function["Environment"]["Variables"]
    assert variables["PORTAL_ENV"] == "aws"
    assert variables["PORTAL_TABLE_PREFIX"] == "portal-"
    assert variables["PORTAL_SITE_ORIGIN"] == {"Ref": "SiteOrigin"}
    assert "DYNAMODB_ENDPOINT_URL" not in variables
    assert template["Parameters"]["SiteOrigin"]["Default"] == origin_of(SITE_URL)
    assert "ReservedConcurrentExecutions" not in function
    assert function["Runtime"].startswith("python3.")
    origins = re.findall(
        r'"method\.response\.header\.Access-Control-Allow-Origin": ("[^"]*"|\{)',
        json.dumps(template),
    )
    assert origins and set(origins) == {"{"}, (
        "every CORS origin comes from the SiteOrigin parameter"
    )


def test_failed_claims_have_a_metric_and_an_alarm(built: dict[str, Any]) -> None:
    """Issue 15, M3: a district-wide spike of failed claims raises an alarm."""
    resources = built["template"]["Resources"]
    metric = resources["FailedClaimsMetric"]["Properties"]
    assert metric["LogGroupName"] == {"Ref": "ApiHandlerLogGroup"}
    assert '"/claim/start"' in metric["FilterPattern"] and "403" in metric["FilterPattern"]
    alarm = resources["FailedClaimsSpike"]["Properties"]
    assert alarm["MetricName"] == metric["MetricTransformations"][0]["MetricName"]
    assert alarm["Namespace"] == metric["MetricTransformations"][0]["MetricNamespace"]
    assert alarm["Threshold"] == {"Ref": "FailedClaimsAlarmThreshold"}


def test_deployment_zip_is_small_and_runtime_only(built: dict[str, Any]) -> None:
    path = built["package"] / "deployment.zip"
    assert path.stat().st_size <= MAX_ZIP_BYTES
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
    tops = {n.split("/")[0].split(".")[0].lower() for n in names}
    for name in ("babel", "weasyprint", "mkdocs", "typer", *FORBIDDEN_IN_ZIP):
        assert name not in tops, f"{name} must stay out of the function"
    assert {"app", "chalicelib", "argon2", "pydantic", "pydantic_core", "segno"} <= tops
    assert "chalicelib/data/common-passwords.txt" in names
    assert not [n for n in names if "__pycache__" in n]


def _pins(path: Path) -> dict[str, str]:
    """name → version of each `name==version` line of a compiled requirements file."""
    found = re.findall(r"^([A-Za-z0-9._-]+)==([^ ;\\]+)", path.read_text("utf-8"), re.MULTILINE)
    return {name.lower(): version for name, version in found}


@pytest.mark.unit
def test_lambda_requirements_are_runtime_only() -> None:
    wanted = (ROOT / "functions" / "requirements.in").read_text(encoding="utf-8").splitlines()
    names = {line.strip().lower() for line in wanted if line.strip() and not line.startswith("#")}
    assert names == {"argon2-cffi", "pydantic", "pyotp", "segno"}
    pinned = _pins(ROOT / "functions" / "requirements.txt")
    assert names <= set(pinned)
    for name in ("boto3", "botocore", "babel", "weasyprint", "mkdocs", "typer", "chalice"):
        assert name not in pinned, f"{name} must stay out of the function"


@pytest.mark.unit
def test_lambda_requirements_are_hashed_and_match_the_lock() -> None:
    text = (ROOT / "functions" / "requirements.txt").read_text(encoding="utf-8")
    pinned = _pins(ROOT / "functions" / "requirements.txt")
    assert text.count("--hash=sha256:") >= len(pinned)
    locked = _pins(ROOT / "requirements.lock")
    assert {name: locked.get(name) for name in pinned} == pinned


@pytest.mark.unit
def test_every_locked_requirement_is_pinned_with_a_hash() -> None:
    blocks = re.split(r"\n(?=[A-Za-z0-9])", (ROOT / "requirements.lock").read_text("utf-8"))
    requirements = [b for b in blocks if b.strip() and not b.startswith("#")]
    assert len(requirements) > 50
    for block in requirements:
        assert re.match(r"[A-Za-z0-9._-]+==", block), block.splitlines()[0]
        assert "--hash=sha256:" in block, block.splitlines()[0]


def test_site_bundle_calls_the_api_and_carries_the_csp(built: dict[str, Any]) -> None:
    site = built["site"]
    assert (site / "index.html").exists() and (site / "404.html").exists()
    for lang in ("fr", "es", "vi"):
        assert (site / lang / "index.html").exists()
    home = (site / "index.html").read_text(encoding="utf-8")
    assert f'<meta name="portal-api" content="{API_URL}">' in home
    policies = resources(built["site_template"], "AWS::CloudFront::ResponseHeadersPolicy")
    (policy,) = policies.values()
    headers = policy["Properties"]["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    value = headers["ContentSecurityPolicy"]["ContentSecurityPolicy"]
    assert value == csp(API_URL, site)
    assert "'unsafe-inline'" not in value.split("script-src")[1].split(";")[0]
    # A CSP source with a path would match only that path: the API is named by its origin.
    assert "connect-src 'self' https://abc123def4.execute-api.us-east-1.amazonaws.com;" in value
    assert "frame-ancestors 'none'" in value
    snippet = json.loads((built["package"] / "response-headers-policy.json").read_text())
    assert (
        snippet["SecurityHeadersConfig"]["ContentSecurityPolicy"]["ContentSecurityPolicy"] == value
    )
    (bucket,) = resources(built["site_template"], "AWS::S3::Bucket").values()
    assert all(bucket["Properties"]["PublicAccessBlockConfiguration"].values())


def test_cloudfront_function_serves_directory_pages(tmp_path: Path) -> None:
    """The viewer-request function, run by Node, maps MkDocs' directory URLs to index.html."""
    from shutil import which

    from deploy.site_template import INDEX_FUNCTION

    if which("node") is None:
        pytest.skip("node is not installed")
    script = tmp_path / "index.js"
    script.write_text(INDEX_FUNCTION + "\nmodule.exports = handler;\n", encoding="utf-8")
    cases = [["/fr/", {}], ["/fr/students/claim", {"lang": {"value": "fr"}}], ["/a/b.css", {}]]
    runner = (
        f"const h = require({json.dumps(str(script))});"
        f"console.log(JSON.stringify({json.dumps(cases)}.map("
        "([uri, querystring]) => h({request: {uri, querystring}}))));"
    )
    result = subprocess.run(["node", "-e", runner], capture_output=True, text=True, check=True)
    page, redirect, asset = json.loads(result.stdout)
    assert page["uri"] == "/fr/index.html"
    assert redirect["statusCode"] == 301
    assert redirect["headers"]["location"]["value"] == "/fr/students/claim/?lang=fr"
    assert asset["uri"] == "/a/b.css"
