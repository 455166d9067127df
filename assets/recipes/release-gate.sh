#!/bin/sh
# A release gate in plain shell: make the signed bundle, check it as the board will, then ask
# whether it may be deployed. Any CI system runs it as it is (see the README's CI recipes).
#
# Needs: countersign on PATH; the producer's OpenSSH Ed25519 key in $RELEASE_KEY_FILE (its
# passphrase, if any, in $COUNTERSIGN_PASSPHRASE); the board policy in board.json; the
# training outputs in model/ and data/, requirements.lock and deployment.json here.
# Exit: 0 deployable; 1 refused (not verified, not approved, or blocked: the reasons printed);
# 2 bad input. Nothing is left behind when `release create` fails.
set -eu

name=${RELEASE_NAME:?set RELEASE_NAME}
version=${RELEASE_VERSION:?set RELEASE_VERSION}
image=${SERVE_IMAGE:?set SERVE_IMAGE to registry/repo@sha256:<digest>}
bundle=${RELEASE_BUNDLE:-$name-$version.csbundle}

countersign release create model data \
  --lock requirements.lock \
  --image "$image" \
  --deployment deployment.json \
  --out "$bundle" \
  --name "$name" --version "$version" \
  --key-file "$RELEASE_KEY_FILE" \
  ${RELEASE_CREATED_AT:+--created-at "$RELEASE_CREATED_AT"} \
  ${RELEASE_SEED:+--seed "$RELEASE_SEED"} \
  --json > release.json

countersign verify "$bundle" --board board.json
countersign diff "$bundle" --board board.json
