#!/bin/sh
# Runs the image tarball built by `./mvnw -Pimage -pl server -am package -DskipTests` WITHOUT a container engine:
# unpacks its layers into a root file system and starts the entrypoint in a bubblewrap sandbox as the image's user
# (10001), with its environment, /proc and a private /data — on 127.0.0.1 only (the sandbox shares the host's network).
# Then asks /readyz with the image's own `agentwire health`, prints /version, and stops the server.
# Needs: tar, bwrap (apt-get install bubblewrap), python3 (to read the image's config).
set -eu
tar_file=${1:-server/target/agentwire-image.tar}
port=${AGENTWIRE_SMOKE_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
work=$(mktemp -d)
trap 'kill "${pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
tar -xf "$tar_file" -C "$work"
mkdir "$work/rootfs" "$work/data"
for layer in $(python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))[0]["Layers"]))' "$work/manifest.json"); do
  tar -xzf "$work/$layer" -C "$work/rootfs" 2>/dev/null
done
# The layers hold the jar and the launcher.
for f in opt/agentwire/lib/agentwire.jar opt/agentwire/bin/agentwire; do
  [ -s "$work/rootfs/$f" ] || { echo "smoke: /$f is not in the image's layers" >&2; exit 1; }
done
[ -x "$work/rootfs/opt/agentwire/bin/agentwire" ] || { echo "smoke: the launcher is not executable" >&2; exit 1; }
echo "smoke: the layers hold /opt/agentwire/lib/agentwire.jar and /opt/agentwire/bin/agentwire"
# The image's entrypoint, user and environment, from its config.
python3 - "$work" > "$work/run.sh" <<'PY'
import json, shlex, sys
work = sys.argv[1]
m = json.load(open(f"{work}/manifest.json"))[0]
c = json.load(open(f"{work}/{m['Config']}"))["config"]
uid, gid = c["User"].split(":")
env = [a for kv in c["Env"] for a in ("--setenv", *kv.split("=", 1))]
cmd = ["bwrap", "--bind", f"{work}/rootfs", "/", "--bind", f"{work}/data", "/data", "--proc", "/proc", "--dev", "/dev",
       "--unshare-user", "--uid", uid, "--gid", gid, "--unshare-pid", "--die-with-parent", "--clearenv", *env,
       "--chdir", c["WorkingDir"]]
print("entrypoint=" + shlex.quote(" ".join(c["Entrypoint"])))
print("run() {", " ".join(shlex.quote(a) for a in cmd), '"$@"; }')
PY
. "$work/run.sh"
run /opt/java/bin/java -jar /opt/agentwire/lib/agentwire.jar --version
run --setenv AGENTWIRE_HTTP_HOST 127.0.0.1 --setenv AGENTWIRE_HTTP_PORT "$port" \
    --setenv AGENTWIRE_TRACKING_PORT 0 --setenv AGENTWIRE_ROOMS_PORT 0 \
    --setenv AGENTWIRE_JWT_SECRET smoke-test-secret-0123456789abcdef-0123 \
    $entrypoint serve > "$work/server.log" 2>&1 &
pid=$!
i=0
until run /opt/java/bin/java -jar /opt/agentwire/lib/agentwire.jar health --url "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do
  i=$((i + 1))
  if [ "$i" -gt 60 ] || ! kill -0 "$pid" 2>/dev/null; then cat "$work/server.log"; echo "smoke: not ready" >&2; exit 1; fi
  sleep 1
done
echo "smoke: /readyz 200 (agentwire health inside the image)"
run /opt/java/bin/java -jar /opt/agentwire/lib/agentwire.jar health --url "http://127.0.0.1:$port/version"
echo "smoke: /data as the image's user:"; ls -ln "$work/data"
echo "smoke: ok"
