"""Writes the API's OpenAPI 3.1 document: python3 docs/api/openapi.py > Sources/CommonsWeb/Resources/openapi.json

The committed JSON is what the server serves; .ci/run checks it is this script's output, and the
tests validate real answers against it. Edit here, regenerate, commit both.
"""
import json
def ref(n): return {"$ref": f"#/components/schemas/{n}"}
def arr(x): return {"type": "array", "items": x}
S = {"type": "string"}
DT = {"type": "string", "format": "date-time"}
def obj(props, required=(), additional=False):
    o = {"type": "object", "properties": props}
    if required: o["required"] = list(required)
    if additional is not None: o["additionalProperties"] = additional
    return o
links = {"type": "object", "additionalProperties": ref("Link")}
schemas = {
  "Link": obj({"href": {"type": "string", "format": "uri"}}, ["href"]),
  "Links": links,
  "Problem": obj({
      "type": S, "title": S, "status": {"type": "integer", "minimum": 400, "maximum": 599}, "detail": S,
      "errors": arr(obj({"field": S, "message": S, "code": S}, ["field", "message", "code"]))},
      ["type", "title", "status", "detail"]),
  "EmailAddress": obj({"address": S, "primary": {"type": "boolean"}, "status": {"enum": ["subscribed", "unsubscribed"]}}, ["address", "primary", "status"]),
  "PhoneNumber": obj({"number": {"type": "string", "pattern": "^\\+[0-9]+$"}, "primary": {"type": "boolean"}, "number_type": S,
                      "status": {"enum": ["subscribed", "unsubscribed"]}}, ["number", "primary", "status"]),
  "PostalAddress": obj({"postal_code": S, "primary": {"type": "boolean"}}, ["postal_code"]),
  "Person": obj({
      "identifiers": arr(S), "created_date": DT, "modified_date": DT, "given_name": S, "family_name": S,
      "email_addresses": arr(ref("EmailAddress")), "phone_numbers": arr(ref("PhoneNumber")),
      "postal_addresses": arr(ref("PostalAddress")), "languages_spoken": arr(S),
      "custom_fields": obj({"role": S, "school": S}),
      "tags": arr(S), "_links": links},
      ["identifiers", "created_date", "modified_date", "email_addresses", "phone_numbers", "postal_addresses",
       "languages_spoken", "custom_fields", "tags", "_links"]),
  "PersonInput": {
      "type": "object",
      "description": "A person as a partner's tool describes them. Checked like a public form: a given name and an email address are needed to sign up; a status of subscribed is the person's consent and is never assumed.",
      "properties": {
          "given_name": {"type": "string", "maxLength": 100}, "family_name": {"type": "string", "maxLength": 100},
          "email_addresses": arr(obj({"address": {"type": "string", "format": "email"}, "primary": {"type": "boolean"}, "status": {"enum": ["subscribed", "unsubscribed"]}}, additional=None)),
          "phone_numbers": arr(obj({"number": S, "primary": {"type": "boolean"}, "status": {"enum": ["subscribed", "unsubscribed"]}}, additional=None)),
          "postal_addresses": arr(obj({"postal_code": S}, additional=None)),
          "languages_spoken": arr(S),
          "custom_fields": {"type": "object", "properties": {"role": {"enum": ["parent", "student", "educator", "community member", "other"]}, "school": {"type": "string", "maxLength": 200}}, "additionalProperties": S}}},
  "PersonSignup": {"allOf": [ref("PersonInput"), {"type": "object", "required": ["given_name", "email_addresses"],
      "properties": {"given_name": {"type": "string", "minLength": 1}, "email_addresses": {"type": "array", "minItems": 1}}}]},
  "SignupHelper": obj({"person": ref("PersonSignup"), "add_tags": arr({"type": "string", "maxLength": 60})}, ["person"], additional=None),
  "AttendanceHelper": obj({"person": ref("PersonSignup"), "add_tags": arr({"type": "string", "maxLength": 60}),
                           "guests": {"type": "integer", "minimum": 0, "maximum": 10}}, ["person"], additional=None),
  "Tag": obj({"identifiers": arr(S), "name": S, "total_taggings": {"type": "integer", "minimum": 0}, "_links": links},
             ["identifiers", "name", "total_taggings", "_links"]),
  "Tagging": obj({"identifiers": arr(S), "_links": links}, ["identifiers", "_links"]),
  "Campaign": obj({
      "identifiers": arr(S), "created_date": DT, "modified_date": DT, "title": S, "description": S, "browser_url": S,
      "status": {"enum": ["open", "closed"]}, "petition_text": S, "target": arr(obj({"name": S}, ["name"])),
      "total_signatures": {"type": "integer", "minimum": 0}, "total_submissions": {"type": "integer", "minimum": 0}, "_links": links},
      ["identifiers", "created_date", "modified_date", "title", "description", "browser_url", "status", "_links"]),
  "Event": obj({
      "identifiers": arr(S), "created_date": DT, "modified_date": DT, "title": S, "description": S, "browser_url": S,
      "start_date": DT, "end_date": DT, "status": {"enum": ["confirmed", "cancelled"]},
      "capacity": {"type": "integer", "minimum": 1}, "total_accepted": {"type": "integer", "minimum": 0},
      "location": obj({"venue": S, "address": S}), "_links": links},
      ["identifiers", "created_date", "modified_date", "title", "description", "browser_url", "start_date", "end_date", "status", "total_accepted", "location", "_links"]),
  "Action": obj({
      "identifiers": arr(S), "created_date": DT, "modified_date": DT,
      "status": {"enum": ["accepted", "tentative"]}, "guests": {"type": "integer", "minimum": 0, "maximum": 10}, "_links": links},
      ["identifiers", "created_date", "modified_date", "_links"]),
  "EntryPoint": obj({"motd": S, "vendor_name": S, "product_name": S, "osdi_version": S, "max_pagesize": {"type": "integer"}, "_links": links},
                    ["osdi_version", "_links"]),
}
def collection(name, item):
    return obj({"total_pages": {"type": "integer", "minimum": 1}, "per_page": {"type": "integer", "minimum": 1, "maximum": 100},
                "page": {"type": "integer", "minimum": 1}, "total_records": {"type": "integer", "minimum": 0}, "_links": links,
                "_embedded": obj({name: arr(ref(item))}, [name])},
               ["total_pages", "per_page", "page", "total_records", "_links", "_embedded"])
for cname, item, key in [("People", "Person", "osdi:people"), ("Tags", "Tag", "osdi:tags"), ("Taggings", "Tagging", "osdi:taggings"),
                         ("Petitions", "Campaign", "osdi:petitions"), ("Forms", "Campaign", "osdi:forms"), ("Events", "Event", "osdi:events"),
                         ("Signatures", "Action", "osdi:signatures"), ("Submissions", "Action", "osdi:submissions"), ("Attendances", "Action", "osdi:attendances")]:
    schemas[cname + "Collection"] = collection(key, item)

HAL = "application/hal+json"
def ok(schema, desc="OK"): return {"description": desc, "content": {HAL: {"schema": ref(schema)}}}
def problem(desc): return {"description": desc, "content": {"application/problem+json": {"schema": ref("Problem")}}}
common = {"401": problem("No token, or an unknown, expired or revoked one."), "429": problem("Too many requests for this token; see Retry-After.")}
def responses(success, *extra):
    r = dict(success)
    for code, desc in extra: r[code] = problem(desc)
    r.update(common)
    return r
paging_params = [
  {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100000, "default": 1}},
  {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 25}, "description": "At most 100; more is answered as 100."},
]
filter_param = {"name": "filter", "in": "query", "schema": {"type": "string", "maxLength": 500},
                "description": "OSDI filter: modified_date gt|lt 'ISO-8601', and for people email_address eq 'address', joined by and."}
uuid_param = lambda name: {"name": name, "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}
tag_param = {"name": "id", "in": "path", "required": True, "schema": {"type": "string", "pattern": "^[0-9a-f]{32}$"}}
bad = ("400", "A query parameter or the body is malformed.")
notfound = ("404", "No such resource.")
invalid = ("422", "Fields that fail the checks of the public forms, each named in errors.")
forbid = ("403", "The token may only read.")
conflict = ("409", "Closed, cancelled or over.")
def body(schema): return {"required": True, "content": {"application/json": {"schema": ref(schema)}}}

def list_op(op_id, summary, coll, params):
    return {"get": {"operationId": op_id, "summary": summary, "parameters": params,
                    "responses": responses({"200": ok(coll)}, bad, notfound)}}
paths = {
  "/api/v1": {"get": {"operationId": "entryPoint", "summary": "The OSDI entry point: links to every collection.", "responses": responses({"200": ok("EntryPoint")})}},
  "/api/v1/openapi.json": {"get": {"operationId": "openAPI", "summary": "This document.", "security": [],
                                   "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}}}}},
  "/api/v1/people": {
      "get": {"operationId": "listPeople", "summary": "People, oldest first. Each read is in the audit log.",
              "parameters": paging_params + [filter_param], "responses": responses({"200": ok("PeopleCollection")}, bad)},
      "post": {"operationId": "personSignupHelper", "summary": "The person signup helper: creates a person, or merges with the one with this email or phone exactly as a public form does.",
               "requestBody": body("SignupHelper"),
               "responses": responses({"201": ok("Person", "A new person."), "200": ok("Person", "Merged with a person already on the list.")}, bad, forbid,
                                      ("409", "The person erased their data themselves: an import does not bring them back; their own new sign-up on the site does."), invalid)}},
  "/api/v1/people/{id}": {
      "parameters": [uuid_param("id")],
      "get": {"operationId": "getPerson", "summary": "One person.", "responses": responses({"200": ok("Person")}, notfound)},
      "put": {"operationId": "updatePerson", "summary": "Replaces the fields given; a status may only turn to unsubscribed.",
              "requestBody": {"required": True, "content": {"application/json": {"schema": ref("PersonInput")}}},
              "responses": responses({"200": ok("Person")}, bad, forbid, notfound, ("409", "Another person has this email address."), invalid)},
      "delete": {"operationId": "erasePerson", "summary": "Erases the person with their actions and tags, as the staff area does. Needs a write token made by an admin.",
                 "responses": responses({"204": {"description": "Erased."}}, ("403", "The token may not erase people."), notfound)}},
  "/api/v1/tags": list_op("listTags", "Tags in use, by name.", "TagsCollection", paging_params),
  "/api/v1/tags/{id}": {"parameters": [tag_param], "get": {"operationId": "getTag", "summary": "One tag.", "responses": responses({"200": ok("Tag")}, notfound)}},
  "/api/v1/tags/{id}/taggings": {"parameters": [tag_param], **list_op("listTaggings", "Who carries the tag.", "TaggingsCollection", paging_params)},
}
for plural, single, coll, actions, acoll, op in [("petitions", "Petition", "PetitionsCollection", "signatures", "SignaturesCollection", "Signature"),
                                                 ("forms", "Form", "FormsCollection", "submissions", "SubmissionsCollection", "Submission")]:
    paths[f"/api/v1/{plural}"] = list_op(f"list{single}s", f"{single}s.", coll, paging_params + [filter_param])
    paths[f"/api/v1/{plural}/{{id}}"] = {"parameters": [uuid_param("id")], "get": {"operationId": f"get{single}", "summary": f"One {single.lower()}.", "responses": responses({"200": ok("Campaign")}, notfound)}}
    paths[f"/api/v1/{plural}/{{id}}/{actions}"] = {
        "parameters": [uuid_param("id")],
        **list_op(f"list{op}s", f"The {actions}, oldest first.", acoll, paging_params + [filter_param]),
        "post": {"operationId": f"record{op}", "summary": f"Records a {op.lower()} as the public form does (its required fields, dedupe, consent from the request).",
                 "requestBody": body("SignupHelper"),
                 "responses": responses({"201": ok("Action")}, bad, forbid, notfound, conflict, invalid)}}
    paths[f"/api/v1/{plural}/{{id}}/{actions}/{{action}}"] = {"parameters": [uuid_param("id"), uuid_param("action")],
        "get": {"operationId": f"get{op}", "summary": f"One {op.lower()}.", "responses": responses({"200": ok("Action")}, notfound)}}
paths["/api/v1/events"] = list_op("listEvents", "Events, by start.", "EventsCollection", paging_params + [filter_param])
paths["/api/v1/events/{id}"] = {"parameters": [uuid_param("id")], "get": {"operationId": "getEvent", "summary": "One event.", "responses": responses({"200": ok("Event")}, notfound)}}
paths["/api/v1/events/{id}/attendances"] = {
    "parameters": [uuid_param("id")],
    **list_op("listAttendances", "The RSVPs, oldest first; tentative means on the waitlist.", "AttendancesCollection", paging_params + [filter_param]),
    "post": {"operationId": "recordAttendance", "summary": "Records an RSVP as the event's public form does; beyond capacity the person joins the waitlist.",
             "requestBody": body("AttendanceHelper"), "responses": responses({"201": ok("Action")}, bad, forbid, notfound, conflict, invalid)}}
paths["/api/v1/events/{id}/attendances/{action}"] = {"parameters": [uuid_param("id"), uuid_param("action")],
    "get": {"operationId": "getAttendance", "summary": "One RSVP.", "responses": responses({"200": ok("Action")}, notfound)}}

doc = {
  "openapi": "3.1.0",
  "info": {"title": "Commons OSDI API", "version": "1.0.0",
           "description": "OSDI 1.1 people, tags, petitions, events and forms. Send a token in the OSDI-API-Token header; read tokens read, write tokens also create and update. Errors are RFC 9457 problem documents."},
  "components": {"securitySchemes": {"token": {"type": "apiKey", "in": "header", "name": "OSDI-API-Token"}}, "schemas": schemas},
  "security": [{"token": []}],
  "paths": paths,
}
print(json.dumps(doc, indent=1, ensure_ascii=False))
