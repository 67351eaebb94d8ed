"""Checks recorded API answers against the OpenAPI 3.1 document with the jsonschema package.

Usage: python openapi_validate.py openapi.json answers.jsonl
Each line of answers.jsonl: {"method", "path", "status", "content_type", "body"} (body parsed JSON or null).
Every answer must match an operation of the document, have a documented status and content type,
and its body must validate against that response's schema. Prints each failure; exits 1 on any.
"""
import json
import re
import sys

from jsonschema import Draft202012Validator

document = json.load(open(sys.argv[1]))
failures = []
checked = 0


def operation(method, path):
    for template, item in document["paths"].items():
        pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", re.escape(template).replace(r"\{", "{").replace(r"\}", "}")) + "$"
        if re.match(pattern, path) and method.lower() in item:
            return template, item[method.lower()]
    return None, None


for line in open(sys.argv[2]):
    answer = json.loads(line)
    method, path, status = answer["method"], answer["path"].split("?")[0], str(answer["status"])
    template, op = operation(method, path)
    if op is None:
        failures.append(f"{method} {path}: no such operation in the document")
        continue
    response = op["responses"].get(status)
    if response is None:
        failures.append(f"{method} {template}: status {status} is not documented")
        continue
    content = response.get("content")
    if content is None:
        if answer["body"] is not None:
            failures.append(f"{method} {template} {status}: a body where the document says none")
        checked += 1
        continue
    media = answer["content_type"].split(";")[0].strip()
    if media not in content:
        failures.append(f"{method} {template} {status}: content type {media}, documented {list(content)}")
        continue
    schema = dict(document)
    schema["$ref"] = content[media]["schema"].get("$ref") or "#/__inline"
    if "$ref" not in content[media]["schema"]:
        schema["__inline"] = content[media]["schema"]
    errors = list(Draft202012Validator(schema).iter_errors(answer["body"]))
    for error in errors:
        failures.append(f"{method} {template} {status}: {'/'.join(map(str, error.absolute_path))}: {error.message}")
    checked += 1

for failure in failures:
    print(failure)
print(f"{checked} answers checked, {len(failures)} failures")
sys.exit(1 if failures or checked == 0 else 0)
