#!/usr/bin/env bash
# Install (if needed) and start a Docker engine in the background, then wait for its socket.
set -euo pipefail
if ! command -v dockerd >/dev/null 2>&1 || ! command -v debootstrap >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io debootstrap >/dev/null
fi
if docker info >/dev/null 2>&1; then
  echo "dockerd already running"; exit 0
fi
mkdir -p /var/log
setsid dockerd >/var/log/qa-arena-dockerd.log 2>&1 < /dev/null &
for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then echo "dockerd is up"; exit 0; fi
  sleep 1
done
echo "dockerd did not come up; last log lines:" >&2
tail -n 30 /var/log/qa-arena-dockerd.log >&2
exit 1
