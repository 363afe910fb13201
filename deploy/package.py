"""Build everything AWS needs, without talking to AWS: `python -m deploy.package`.

API: `chalice package --stage prod --merge-template` into OUT (sam.json + deployment.zip), the
merge adding the DynamoDB tables from chalicelib/schema.py, the gateway responses, the
deploy-time parameters and the least-privilege role policy; then the nightly SIS import
(deploy/sis_import.py) joins sam.json with its own zip, sis-import.zip. Site: the MkDocs build
into SITE_OUT for `aws s3 sync`, and OUT/site.json, the CloudFront stack carrying its CSP.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

from chalicelib import identity
from chalicelib.config import settings

from . import iam, sis_import, sis_import_zip
from .api_template import ORIGIN_HEADER, merge_template
from .site_template import csp, origin_of, response_headers_policy, site_template

ROOT = iam.ROOT
MAX_ZIP_BYTES = 10 * 1024 * 1024
# Libraries of the CLI and the site build that must never ride along in the function, and
# the SDK the Lambda runtime already has.
FORBIDDEN_IN_ZIP = (
    "babel",
    "weasyprint",
    "mkdocs",
    "material",
    "typer",
    "rich",
    "jinja2",
    "yaml",
    "aiosmtpd",
    "boto3",
    "botocore",
)
DEFAULT_API_URL = "https://api.district.example"
DEFAULT_SITE_URL = "https://help.district.example/"
ROUTES_SCRIPT = """
import json, app
print(json.dumps({p: {m: bool(r.cors) for m, r in ms.items()} for p, ms in app.app.routes.items()}))
"""


def _stage_project(staging: Path) -> Path:
    """A clean copy of functions/ (no caches, no earlier deployments) to package from."""
    if staging.exists():
        shutil.rmtree(staging)
    shutil.copytree(
        iam.FUNCTIONS,
        staging,
        ignore=shutil.ignore_patterns(
            "__pycache__", "*.pyc", "deployments", "venv", ".pytest_cache", "openapi.yaml"
        ),
    )
    return staging


def _routes(project: Path) -> dict[str, dict[str, bool]]:
    """Every route of the app: path -> {method: has CORS}, read by importing it."""
    # No bytecode beside the staged sources: it would end up in deployment.zip.
    env = {**os.environ, "PORTAL_ENV": "aws", "PYTHONPATH": str(project),
           "PYTHONDONTWRITEBYTECODE": "1"}  # fmt: skip
    env.pop("DYNAMODB_ENDPOINT_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", ROUTES_SCRIPT],
        cwd=project,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout)


def zip_problems(zip_path: Path) -> list[str]:
    """Why the deployment package is not fit for the function (empty when it is)."""
    problems = []
    size = zip_path.stat().st_size
    if size > MAX_ZIP_BYTES:
        problems.append(f"{zip_path.name} is {size / 1e6:.1f} MB, over 10 MB")
    with zipfile.ZipFile(zip_path) as archive:
        tops = {name.split("/")[0].split(".")[0].lower() for name in archive.namelist()}
    problems += [f"{name} is in the package" for name in FORBIDDEN_IN_ZIP if name in tops]
    return problems


def template_problems(template: dict[str, Any]) -> list[str]:
    """Checks on the merged template that the merge cannot guarantee by itself."""
    problems = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == ORIGIN_HEADER and isinstance(value, str):
                    problems.append(f"{where}: CORS origin fixed at package time ({value})")
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{where}/{i}")

    walk(template, "")
    function = template["Resources"]["APIHandler"]["Properties"]
    if "ReservedConcurrentExecutions" in function:
        problems.append("the function has reserved concurrency")
    return problems


def package_api(out: Path, site_origin: str) -> dict[str, Any]:
    """chalice package with the merge template; return a summary."""
    problems = iam.policy_problems()
    if problems:
        raise SystemExit(
            f"{iam.POLICY_FILE.relative_to(ROOT)} does not match what the code needs:\n  "
            + "\n  ".join(problems)
            + "\nReview, then rewrite it with: .venv/bin/python -m deploy.iam --write"
        )
    out = out.resolve()
    staging = _stage_project(out.parent / f".{out.name}-staging")
    merge_path = staging / "merge-template.json"
    merge = merge_template(_routes(staging), site_origin)
    merge_path.write_text(json.dumps(merge, indent=2) + "\n", encoding="utf-8")
    if out.exists():
        shutil.rmtree(out)
    env = {**os.environ, "AWS_DEFAULT_REGION": os.environ.get("AWS_DEFAULT_REGION", "us-east-1")}
    env.pop("DYNAMODB_ENDPOINT_URL", None)
    chalice = Path(sys.executable).with_name("chalice")
    subprocess.run(
        [
            str(chalice) if chalice.exists() else "chalice",
            "package",
            "--stage",
            "prod",
            "--merge-template",
            str(merge_path),
            str(out),
        ],
        cwd=staging,
        env=env,
        check=True,
    )
    # The nightly import joins the template Chalice wrote: it takes the API function's runtime
    # and settings, and its zip is built from the API's.
    template = sis_import.add_to(json.loads((out / "sam.json").read_text(encoding="utf-8")))
    (out / "sam.json").write_text(json.dumps(template, indent=2) + "\n", encoding="utf-8")
    import_zip = sis_import_zip.build(out / "deployment.zip", out / sis_import.ZIP_NAME)
    problems = template_problems(template) + zip_problems(out / "deployment.zip")
    problems += sis_import_zip.problems(import_zip)
    if problems:
        raise SystemExit("package check failed:\n  " + "\n  ".join(problems))
    shutil.rmtree(staging)
    return {
        "template": out / "sam.json",
        "zip": out / "deployment.zip",
        "zip_bytes": (out / "deployment.zip").stat().st_size,
        "import_zip": import_zip,
        "tables": sorted(
            r["Properties"]["TableName"]
            for r in template["Resources"].values()
            if r.get("Type") == "AWS::DynamoDB::Table"
        ),
    }


def package_site(out: Path, site_out: Path, api_url: str, site_url: str) -> dict[str, Any]:
    """Build the site for api_url and write the CloudFront stack and headers policy for it."""
    from portal import sitebuild

    origin_of(api_url)  # refuse a relative or malformed URL before building anything
    if site_out.exists():
        shutil.rmtree(site_out)
    sitebuild.build(api_url, site_url, site_out)
    if not (site_out / "index.html").exists() or not (site_out / "404.html").exists():
        raise SystemExit(f"{site_out}: the build has no index.html or 404.html")
    out.mkdir(parents=True, exist_ok=True)
    (out / "site.json").write_text(
        json.dumps(site_template(api_url, site_out), indent=2) + "\n", encoding="utf-8"
    )
    # The same headers for an existing distribution:
    #   aws cloudfront create-response-headers-policy \
    #     --response-headers-policy-config file://build/package/response-headers-policy.json
    config = response_headers_policy(api_url, site_out)["Properties"]["ResponseHeadersPolicyConfig"]
    config = {**config, "Name": "district-portal-site-headers"}
    (out / "response-headers-policy.json").write_text(
        json.dumps(config, indent=2) + "\n", encoding="utf-8"
    )
    files = [p for p in site_out.rglob("*") if p.is_file()]
    return {
        "site_dir": site_out,
        "files": len(files),
        "bytes": sum(p.stat().st_size for p in files),
        "csp": csp(api_url, site_out),
        "template": out / "site.json",
    }


def use_identifiers(digits: str | None, prefix: str | None) -> str:
    """Set the district's identifiers for the API template's defaults and the site build alike
    (both read the environment), check them, and say what they are."""
    for name, value in (("PORTAL_STUDENT_ID_DIGITS", digits), ("PORTAL_USERNAME_PREFIX", prefix)):
        if value is not None:
            os.environ[name] = value
    settings.cache_clear()
    chosen = settings()  # refuses a value out of range, naming the variable
    example = identity.student_username(identity.example_id())
    return f"student IDs of {chosen.student_id_digits} digits, usernames like {example}"


def main(argv: list[str] | None = None) -> None:
    """Parse options, build, print what was made."""
    parser = argparse.ArgumentParser(prog="python -m deploy.package", description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "package")
    parser.add_argument("--site-out", type=Path, default=ROOT / "build" / "site-dist")
    parser.add_argument("--api-url", default=os.environ.get("PORTAL_API_URL") or DEFAULT_API_URL)
    parser.add_argument("--site-url", default=os.environ.get("PORTAL_SITE_URL") or DEFAULT_SITE_URL)
    parser.add_argument(
        "--student-id-digits",
        help="digits of a student ID (default: PORTAL_STUDENT_ID_DIGITS, else 7)",
    )
    parser.add_argument(
        "--username-prefix",
        help='before the ID in a student username (default: PORTAL_USERNAME_PREFIX, else "S")',
    )
    parser.add_argument("--api-only", action="store_true", help="skip the site")
    parser.add_argument("--site-only", action="store_true", help="skip the API")
    args = parser.parse_args(argv)
    identifiers = use_identifiers(args.student_id_digits, args.username_prefix)
    print(f"Identifiers    {identifiers}")
    if not args.site_only:
        api = package_api(args.out, origin_of(args.site_url))
        print(f"API template   {api['template']}")
        print(f"Lambda package {api['zip']} ({api['zip_bytes'] / 1e6:.2f} MB of 10)")
        print(f"Nightly import {api['import_zip']} "
              f"({api['import_zip'].stat().st_size / 1e6:.2f} MB)")  # fmt: skip
        print(f"Tables         {', '.join(api['tables'])}")
    if not args.api_only:
        site = package_site(args.out, args.site_out, args.api_url, args.site_url)
        print(
            f"Site           {site['site_dir']} ({site['files']} files, "
            f"{site['bytes'] / 1e6:.1f} MB) for API {args.api_url}"
        )
        print(f"Site template  {site['template']}")
        print(f"CSP            {site['csp']}")


if __name__ == "__main__":
    main()
