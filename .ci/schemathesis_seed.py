"""Gives schemathesis real ids to work with: a person made through the signup helper, the first
sign-up form and the first event of the demo content. Writes a schemathesis.toml that pins the
`id` path parameter of those collections' operations, so their bodies are fuzzed past the 404.

Usage: python3 .ci/schemathesis_seed.py BASE_URL TOKEN OUT.toml
"""
import json
import sys
import urllib.request

base, token, out = sys.argv[1], sys.argv[2], sys.argv[3]


def call(method, path, body=None):
    request = urllib.request.Request(
        base + path,
        method=method,
        data=json.dumps(body).encode() if body else None,
        headers={"OSDI-API-Token": token, "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def first_id(collection, key):
    items = call("GET", "/api/v1/" + collection)["_embedded"][key]
    return items[0]["identifiers"][0].split(":", 1)[1] if items else None


person = call("POST", "/api/v1/people", {"person": {"given_name": "Schema", "email_addresses": [{"address": "schema@example.org"}]}})
ids = {
    "people": person["identifiers"][0].split(":", 1)[1],
    "forms": first_id("forms", "osdi:forms"),
    "events": first_id("events", "osdi:events"),
}
with open(out, "w") as f:
    for collection, value in ids.items():
        if value:
            f.write(f'[[operations]]\ninclude-path-regex = "^/api/v1/{collection}/"\nparameters = {{ "path.id" = "{value}" }}\n\n')
