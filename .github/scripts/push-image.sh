#!/usr/bin/env bash
# Pushes one OCI archive (a manifest list and everything it references) to each
# image reference given, keeping its digest, then checks that every reference
# resolves to that digest. Safe to run again: a reference that already holds
# the digest is left alone (registries with immutable tags refuse a second
# push of a tag); one that holds another image fails, naming it.
#
#   push-image.sh ARCHIVE DIGEST REPOSITORY:TAG...
#
# Authentication is whatever skopeo finds (docker's config.json after
# `docker login`, `az acr login` and amazon-ecr-login). SKOPEO_FLAGS adds global
# skopeo options (the tests give `--registries-conf` for a plain-HTTP registry on 127.0.0.1).
set -euo pipefail

if [ "$#" -lt 3 ]; then
  echo "usage: push-image.sh ARCHIVE DIGEST REPOSITORY:TAG..." >&2
  exit 2
fi
archive=$1
digest=$2
shift 2
read -r -a flags <<< "${SKOPEO_FLAGS:-}"

[[ "$digest" =~ ^sha256:[0-9a-f]{64}$ ]] || { echo "push-image: '$digest' is not a sha256 digest" >&2; exit 2; }

# The digest of what a reference holds now, or nothing when the tag does not exist.
held() {
  local raw
  if raw=$(skopeo "${flags[@]}" inspect --raw "docker://$1" 2>/dev/null); then
    printf 'sha256:%s' "$(printf '%s' "$raw" | sha256sum | cut -d' ' -f1)"
  fi
}

failed=0
for ref in "$@"; do
  current=$(held "$ref")
  if [ "$current" = "$digest" ]; then
    echo "push-image: $ref already holds $digest"
    continue
  fi
  if [ -n "$current" ]; then
    echo "push-image: $ref already holds $current, not $digest; a tag is never pushed twice" >&2
    failed=1
    continue
  fi
  # --all: every architecture and attestation; --preserve-digests: fail rather than convert.
  skopeo "${flags[@]}" copy --all --preserve-digests "oci-archive:$archive" "docker://$ref"
  current=$(held "$ref")
  if [ "$current" != "$digest" ]; then
    echo "push-image: $ref holds ${current:-nothing} after the push, not $digest" >&2
    failed=1
  else
    echo "push-image: $ref pushed as $digest"
  fi
done
exit "$failed"
