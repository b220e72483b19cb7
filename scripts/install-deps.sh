#!/usr/bin/env bash
# Installs the C libraries the package links (SQLite, libcurl, zlib, OpenSSL's
# libcrypto) when they are missing. Needs root, as on this project's machines.
set -euo pipefail
packages=(libsqlite3-dev libcurl4-openssl-dev zlib1g-dev libssl-dev pkg-config tzdata openssl)
missing=()
for package in "${packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if ((${#missing[@]})); then
    echo "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
