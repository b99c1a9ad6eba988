#!/usr/bin/env bash
# Verifies a running Keycloak that has imported supervision-realm.json and the demo users
# (supervision-users-0.json). Needs curl and python3 (no jq).
#
#   deploy/keycloak/verify-realm.sh http://127.0.0.1:18190 [expected-issuer-base]
#
# expected-issuer-base defaults to the base URL; pass it when Keycloak runs with a fixed
# --hostname that differs from the URL used here (e.g. base http://localhost:18190,
# issuer base http://127.0.0.1:18190). Exit code 0 = all checks passed.
set -euo pipefail

BASE="${1:?usage: $0 <keycloak-base-url> [expected-issuer-base]}"
BASE="${BASE%/}"
ISSUER_BASE="${2:-$BASE}"
ISSUER_BASE="${ISSUER_BASE%/}"
REALM=supervision
TOKEN_URL="$BASE/realms/$REALM/protocol/openid-connect/token"
PASSWORD='Demo@2026'
NOTIFY_SECRET="${SUPERVISION_NOTIFY_SECRET:-supervision-notify-dev-secret}"
FAILED=0

# json_get <python expression on `d`>  (reads JSON from stdin)
json_get() { python3 -c 'import json,sys; d=json.load(sys.stdin); v='"$1"'; print(v if isinstance(v,str) else json.dumps(v,ensure_ascii=False))'; }

# decode_jwt: prints the payload of the access token contained in the token response on stdin
decode_jwt() {
  python3 -c '
import json, sys, base64
t = json.load(sys.stdin)
if "access_token" not in t:
    sys.exit("token request failed: " + json.dumps(t, ensure_ascii=False))
p = t["access_token"].split(".")[1]
p += "=" * (-len(p) % 4)
print(json.dumps(json.loads(base64.urlsafe_b64decode(p)), ensure_ascii=False, indent=2))'
}

# check <description> <python boolean expression on claims `c`>  (claims JSON on stdin)
check() {
  if python3 -c 'import json,sys; c=json.load(sys.stdin); sys.exit(0 if ('"$2"') else 1)'; then
    echo "  ok   $1"
  else
    echo "  FAIL $1"; FAILED=1
  fi
}

echo "== discovery: $BASE/realms/$REALM/.well-known/openid-configuration"
ISS=$(curl -sSf "$BASE/realms/$REALM/.well-known/openid-configuration" | json_get 'd["issuer"]')
echo "  issuer: $ISS"
if [ "$ISS" = "$ISSUER_BASE/realms/$REALM" ]; then echo "  ok   issuer"; else echo "  FAIL issuer (expected $ISSUER_BASE/realms/$REALM)"; FAILED=1; fi

password_token() {
  curl -sS -X POST "$TOKEN_URL" \
    --data-urlencode grant_type=password --data-urlencode client_id=supervision-cli \
    --data-urlencode "username=$1" --data-urlencode "password=$PASSWORD" \
    --data-urlencode scope=openid
}

# user role org_unit name
for spec in "dcs-zhang supervisor office-dcs 张 明" "fgj-li unit dept-fgj 李 华"; do
  read -r user role unit fam giv <<<"$spec"
  echo "== password grant (supervision-cli): $user"
  claims=$(password_token "$user" | decode_jwt)
  echo "$claims"
  check "iss"                                       "c['iss'] == '$ISSUER_BASE/realms/$REALM'"            <<<"$claims"
  check "roles is a flat list containing '$role'"   "isinstance(c.get('roles'), list) and all(isinstance(r, str) for r in c['roles']) and '$role' in c['roles']" <<<"$claims"
  check "roles has no other business role"          "not ({'supervisor','unit','leader','inspector','admin'} - {'$role'}) & set(c['roles'])" <<<"$claims"
  check "org_unit == $unit (single string)"         "c.get('org_unit') == '$unit'"                         <<<"$claims"
  check "name == '$fam $giv'"                       "c.get('name') == '$fam $giv'"                         <<<"$claims"
  check "preferred_username == $user"               "c.get('preferred_username') == '$user'"               <<<"$claims"
  check "aud contains supervision-api"              "'supervision-api' in (c['aud'] if isinstance(c['aud'], list) else [c['aud']])" <<<"$claims"
  check "azp == supervision-cli"                    "c.get('azp') == 'supervision-cli'"                    <<<"$claims"
done

echo "== client credentials (supervision-notify)"
NOTIFY_TOKEN_RESPONSE=$(curl -sS -X POST "$TOKEN_URL" \
  --data-urlencode grant_type=client_credentials --data-urlencode client_id=supervision-notify \
  --data-urlencode "client_secret=$NOTIFY_SECRET")
claims=$(decode_jwt <<<"$NOTIFY_TOKEN_RESPONSE")
echo "$claims" | python3 -c 'import json,sys; c=json.load(sys.stdin); print("  aud:", c.get("aud"), " azp:", c.get("azp"), " realm-management roles:", c.get("resource_access",{}).get("realm-management",{}).get("roles"))'
check "aud does NOT contain supervision-api"   "'supervision-api' not in (c.get('aud') if isinstance(c.get('aud'), list) else [c.get('aud')])" <<<"$claims"
check "has realm-management view-users and query-groups" "{'view-users','query-groups'} <= set(c.get('resource_access',{}).get('realm-management',{}).get('roles',[]))" <<<"$claims"
NOTIFY_TOKEN=$(json_get 'd["access_token"]' <<<"$NOTIFY_TOKEN_RESPONSE")

GROUP_PATH='departments/区发展和改革局'
ENC_PATH=$(python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$GROUP_PATH")
echo "== service account lists members of /$GROUP_PATH"
GROUP_JSON=$(curl -sSf -H "Authorization: Bearer $NOTIFY_TOKEN" "$BASE/admin/realms/$REALM/group-by-path/$ENC_PATH")
GROUP_ID=$(json_get 'd["id"]' <<<"$GROUP_JSON")
echo "  group: $(json_get '{k: d.get(k) for k in ("id","name","path","attributes")}' <<<"$GROUP_JSON")"
check "group attribute unit_code == dept-fgj" "c.get('attributes',{}).get('unit_code') == ['dept-fgj']" <<<"$GROUP_JSON"
MEMBERS=$(curl -sSf -H "Authorization: Bearer $NOTIFY_TOKEN" "$BASE/admin/realms/$REALM/groups/$GROUP_ID/members?briefRepresentation=false")
echo "  members: $(json_get '[{k: u.get(k) for k in ("username","email","firstName","lastName")} for u in d]' <<<"$MEMBERS")"
check "fgj-li is a member with an e-mail address" "any(u['username'] == 'fgj-li' and u.get('email') for u in c)" <<<"$MEMBERS"

# the notify service account must not be able to change anything
CODE=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H "Authorization: Bearer $NOTIFY_TOKEN" \
  -H 'Content-Type: application/json' -d '{"attributes":{"unit_code":["x"]}}' "$BASE/admin/realms/$REALM/groups/$GROUP_ID")
if [ "$CODE" = 403 ]; then echo "  ok   service account cannot modify groups (403)"; else echo "  FAIL group update returned $CODE, expected 403"; FAILED=1; fi

if [ "$FAILED" = 0 ]; then echo "ALL CHECKS PASSED"; else echo "SOME CHECKS FAILED"; fi
exit "$FAILED"
