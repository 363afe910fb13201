"""The nightly SIS import in the API stack (deploy/sis_import.py): schedule, function sized for
50,000 students, least-privilege roles, the alarm, and a zip with the importer and nothing else."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from deploy import iam, sis_import, sis_import_zip


def resource(built: dict[str, Any], logical_id: str) -> dict[str, Any]:
    return built["template"]["Resources"][logical_id]


def statements(role: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for p in role["Properties"]["Policies"] for s in p["PolicyDocument"]["Statement"]]


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def test_the_import_exists_only_with_a_bucket(built: dict[str, Any]) -> None:
    template = built["template"]
    parameters = template["Parameters"]
    assert parameters["SisBucket"]["Default"] == ""
    assert parameters["SisPrefix"]["Default"] == "oneroster/"
    condition = template["Conditions"][sis_import.CONDITION]
    assert condition == {"Fn::Not": [{"Fn::Equals": [{"Ref": "SisBucket"}, ""]}]}
    mine = set(sis_import.resources(resource(built, "APIHandler")["Properties"]))
    assert mine <= set(template["Resources"])
    assert {template["Resources"][r]["Condition"] for r in mine} == {sis_import.CONDITION}


def test_schedule_runs_the_function_every_night_in_district_time(built: dict[str, Any]) -> None:
    parameters = built["template"]["Parameters"]
    assert parameters["SisImportSchedule"]["Default"] == "cron(0 3 * * ? *)"  # 3 a.m., nightly
    schedule = resource(built, sis_import.SCHEDULE_ID)
    assert schedule["Type"] == "AWS::Scheduler::Schedule"
    props = schedule["Properties"]
    assert props["ScheduleExpression"] == {"Ref": "SisImportSchedule"}
    assert props["ScheduleExpressionTimezone"] == {"Ref": "DistrictTimeZone"}
    assert props["State"] == "ENABLED"
    target = props["Target"]
    assert target["Arn"] == {"Fn::GetAtt": [sis_import.FUNCTION_ID, "Arn"]}
    assert target["RoleArn"] == {"Fn::GetAtt": [sis_import.SCHEDULER_ROLE_ID, "Arn"]}
    assert target["RetryPolicy"]["MaximumRetryAttempts"] == 0
    (invoke,) = statements(resource(built, sis_import.SCHEDULER_ROLE_ID))
    assert invoke["Action"] == ["lambda:InvokeFunction"]
    assert invoke["Resource"] == [target["Arn"]]


def test_function_is_sized_for_50000_students(built: dict[str, Any]) -> None:
    function = resource(built, sis_import.FUNCTION_ID)
    api = resource(built, "APIHandler")["Properties"]
    props = function["Properties"]
    assert function["Type"] == "AWS::Serverless::Function"
    assert props["Handler"] == "portal.sis.nightly.handler"
    assert props["CodeUri"] == f"./{sis_import.ZIP_NAME}"
    assert props["Runtime"] == api["Runtime"]
    assert props["Timeout"] == 900
    assert props["MemorySize"] >= 3538  # two vCPUs
    assert props["EphemeralStorage"]["Size"] >= 1024
    assert props["ReservedConcurrentExecutions"] == 1
    assert props["EventInvokeConfig"] == {"MaximumRetryAttempts": 0}
    variables = props["Environment"]["Variables"]
    assert variables["PORTAL_SIS_SOURCE"] == {"Fn::Sub": "s3://${SisBucket}/${SisPrefix}"}
    shared = {k: v for k, v in api["Environment"]["Variables"].items()
              if k not in sis_import.API_ONLY_VARIABLES}  # fmt: skip
    assert {k: variables[k] for k in shared} == shared
    # The import checks student IDs against the district's setting, as the API does.
    assert {"PORTAL_ENV", "PORTAL_TABLE_PREFIX", "DISTRICT_TZ", "PORTAL_STUDENT_ID_DIGITS",
            "PORTAL_USERNAME_PREFIX"} <= set(shared)  # fmt: skip
    assert "PORTAL_SECRET_ARN" not in variables
    assert function["DependsOn"] == [sis_import.LOG_GROUP_ID]
    log_group = resource(built, sis_import.LOG_GROUP_ID)["Properties"]
    assert log_group["LogGroupName"] == f"/aws/lambda/{props['FunctionName']}"


def test_import_role_reads_the_prefix_and_writes_the_sis_table_only(
    built: dict[str, Any],
) -> None:
    role = resource(built, sis_import.ROLE_ID)
    assert not role["Properties"].get("ManagedPolicyArns")
    assert resource(built, sis_import.FUNCTION_ID)["Properties"]["Role"] == {
        "Fn::GetAtt": [sis_import.ROLE_ID, "Arn"]
    }
    grants: dict[str, set[str]] = {}
    for statement in statements(role):
        assert statement["Effect"] == "Allow"
        for action in as_list(statement["Action"]):
            assert "*" not in action
            for target in as_list(statement["Resource"]):
                grants.setdefault(action, set()).add(json.dumps(target))
        if statement["Action"] == ["s3:ListBucket"]:
            assert statement["Condition"] == {
                "StringLike": {"s3:prefix": [{"Fn::Sub": "${SisPrefix}*"}]}
            }
    assert grants.pop("s3:ListBucket") == {json.dumps({"Fn::Sub": sis_import.BUCKET_ARN})}
    assert grants.pop("s3:GetObject") == {
        json.dumps({"Fn::Sub": sis_import.BUCKET_ARN + "/${SisPrefix}*"})
    }
    logs = {grants.pop(action).pop() for action in sorted(iam.LOG_ACTIONS)}
    assert logs == {
        json.dumps(
            {
                "Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:"
                f"${{AWS::AccountId}}:log-group:/aws/lambda/{sis_import.FUNCTION_NAME}:*"
            }
        )
    }
    sis_table = json.dumps({"Fn::Sub": "arn:${AWS::Partition}:dynamodb:${AWS::Region}:"
                            "${AWS::AccountId}:table/portal-sis"})  # fmt: skip
    assert grants == {action: {sis_table} for action in iam.importer_actions().sis}
    # What the importer does: scan what is stored, write in batches, re-read retired profiles.
    assert {"dynamodb:Scan", "dynamodb:BatchWriteItem"} <= set(grants)


@pytest.mark.unit
def test_importer_grants_follow_the_code() -> None:
    need = iam.importer_actions()
    assert set(need.by_table) == {iam.SIS_TABLE}
    assert ("sis", "scan") in need.reachable and ("sis", "_write_chunk") in need.reachable
    assert not need.admin_calls
    assert ("accounts", "complete_claim") not in need.reachable


def test_failed_import_raises_the_alarm(built: dict[str, Any]) -> None:
    alarm = resource(built, sis_import.ALARM_ID)["Properties"]
    assert alarm["AlarmName"] == "district-portal-sis-import-failed"  # README names it
    assert (alarm["Namespace"], alarm["MetricName"]) == ("AWS/Lambda", "Errors")
    assert alarm["Dimensions"] == [
        {"Name": "FunctionName", "Value": {"Ref": sis_import.FUNCTION_ID}}
    ]
    assert (alarm["Statistic"], alarm["Threshold"]) == ("Sum", 0)
    assert alarm["ComparisonOperator"] == "GreaterThanThreshold"
    assert alarm["TreatMissingData"] == "notBreaching"
    assert alarm["AlarmActions"] == {
        "Fn::If": ["HasAlarmTopic", [{"Ref": "AlarmTopicArn"}], {"Ref": "AWS::NoValue"}]
    }
    outputs = built["template"]["Outputs"]["SisImportLogGroup"]
    assert outputs["Value"] == {"Ref": sis_import.LOG_GROUP_ID}


def test_import_zip_holds_the_importer_and_nothing_of_the_site(built: dict[str, Any]) -> None:
    path = built["package"] / sis_import.ZIP_NAME
    assert sis_import_zip.problems(path) == []
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
    for module in (
        "portal/sis/nightly.py",
        "portal/sis/importer.py",
        "portal/sis/s3source.py",
        "portal/addresses.py",
        "chalicelib/storage/sis.py",
        "rich/progress.py",
    ):
        assert module in names, module  # fmt: skip
    tops = {n.split("/")[0].split(".")[0] for n in names}
    assert not tops & set(sis_import_zip.FORBIDDEN)
    assert "app.py" not in names
    assert not [n for n in names if n.startswith(("portal/notices", "portal/synthetic"))]
    assert "portal/cli.py" not in names and "portal/demo" not in tops
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


def test_import_zip_runs_with_only_what_the_runtime_adds(
    built: dict[str, Any], tmp_path: Path
) -> None:
    """Imported from the unpacked zip, the handler needs nothing else but the runtime's boto3."""
    with zipfile.ZipFile(built["package"] / sis_import.ZIP_NAME) as archive:
        archive.extractall(tmp_path)
    runtime = [p for p in sys.path if p.endswith("site-packages")]  # where boto3 is
    # This machine's site-packages stands for the runtime's: anything else found there (say
    # certifi or brotli, which botocore and urllib3 try and do without) is not in Lambda.
    script = f"""
import importlib.abc, importlib.machinery, json, sys
sys.path = [{str(tmp_path)!r}] + [p for p in sys.path if "site-packages" not in p] + {runtime!r}
class OnlyTheRuntime(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if (spec and "site-packages" in (spec.origin or "")
                and name.split(".")[0] not in {sorted(sis_import_zip.RUNTIME)!r}):
            raise ModuleNotFoundError(f"No module named {{name!r}} in the runtime", name=name)
sys.meta_path.insert(0, OnlyTheRuntime())
import portal.sis.nightly
outside = sorted({{name.split(".")[0] for name, module in list(sys.modules.items())
                   if "site-packages" in (getattr(module, "__file__", None) or "")}})
print(json.dumps({{"outside": outside, "handler": portal.sis.nightly.__file__}}))
"""
    env = {"PATH": "/usr/bin:/bin", "PORTAL_ENV": "aws", "AWS_DEFAULT_REGION": "us-east-1"}
    result = subprocess.run([sys.executable, "-S", "-c", script], cwd=tmp_path, env=env,
                            capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["handler"] == str(tmp_path / "portal" / "sis" / "nightly.py")
    assert set(found["outside"]) <= sis_import_zip.RUNTIME, found["outside"]
