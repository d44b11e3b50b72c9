#!/usr/bin/env bash
# Serve nnviz to a whole class from one machine, on every core: WORKERS Streamlit processes
# (one per core by default) behind an nginx reverse proxy that
#   - passes websocket upgrades (a student's session lives on one websocket),
#   - keeps each student on one worker (a cookie, nnviz_route, chosen at random on the first
#     request; the page, its websocket and its file uploads all follow it), so a class behind
#     one school IP address is still spread over every worker,
#   - compresses the app's JavaScript (about 9 MB per first visit, uncompressed by Streamlit),
#   - tells the workers each visitor's address (X-Real-IP, set from the connection, never from
#     what a client sent); the workers believe it (NNVIZ_TRUST_PROXY=1), for the class caps
#     counted per address (nnviz/settings.py ClassCaps).
#
#   bash scripts/serve-class.sh                   # http://<this machine>:8501, one worker per core
#   WORKERS=4 PORT=80 bash scripts/serve-class.sh
#   NNVIZ_CLASS_STORE=redis://127.0.0.1:6379/0 SEPARATE_HOSTS=1 bash scripts/serve-class.sh
#
# SEPARATE_HOSTS=1 starts each worker as if on a machine of its own: its own working folder,
# numba cache, temporary folder and class folder, sharing nothing with the others but the
# Redis URL (NNVIZ_CLASS_STORE, required then) - what a deployment on several hosts does.
#
# Each worker is `streamlit run app.py` started through scripts/serve.py, which begins compiling the
# training kernel as the worker starts (ui/warmup.py), so no student waits for the compiler.
#
# Settings (environment): WORKERS (default: nproc), PORT (the proxy's, default 8501),
# FIRST_WORKER_PORT (default 8601; workers take the ports after it), RUN_DIR (nginx's
# config, logs and pids; default .serve-class/), ADDRESS (the proxy listens on; default 0.0.0.0),
# NNVIZ_SCRIPTS_AT_ONCE (page scripts each worker runs at a time; default: cores / WORKERS),
# NNVIZ_FRAME_ANCESTORS (who may show nnviz in a frame, as CSP frame-ancestors; default 'self';
# e.g. "'self' https://canvas.school.example" to embed it in a course page).
# The proxy answers 404 for Streamlit's /_stcore/metrics (it counts every session's upload
# bytes) and forbids framing by other sites (X-Frame-Options, Content-Security-Policy).
# Needs nginx (Debian/Ubuntu: sudo apt-get install nginx). Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."

WORKERS=${WORKERS:-$(nproc)}
PORT=${PORT:-8501}
FIRST_WORKER_PORT=${FIRST_WORKER_PORT:-8601}
RUN_DIR=$(mkdir -p "${RUN_DIR:-.serve-class}" && cd "${RUN_DIR:-.serve-class}" && pwd)
ADDRESS=${ADDRESS:-0.0.0.0}
FRAME_ANCESTORS=${NNVIZ_FRAME_ANCESTORS:-\'self\'}
# Each worker runs this many page scripts at a time (ui/turns.py): the cores shared out.
SCRIPTS_AT_ONCE=${NNVIZ_SCRIPTS_AT_ONCE:-$(( $(nproc) / WORKERS > 0 ? $(nproc) / WORKERS : 1 ))}
SEPARATE_HOSTS=${SEPARATE_HOSTS:-0}
ROOT=$(pwd)
if [ "$SEPARATE_HOSTS" = "1" ] && [[ "${NNVIZ_CLASS_STORE:-}" != redis://* ]]; then
  echo "error: SEPARATE_HOSTS=1 needs NNVIZ_CLASS_STORE=redis://host:port/db (workers share nothing else)" >&2
  exit 1
fi

NGINX=$(command -v nginx || echo /usr/sbin/nginx)
if [ ! -x "$NGINX" ]; then
  echo "error: nginx is not installed (Debian/Ubuntu: sudo apt-get install nginx)" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
  .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
fi

pids=()
cleanup() {
  trap - EXIT INT TERM
  [ -f "$RUN_DIR/nginx.pid" ] && kill "$(cat "$RUN_DIR/nginx.pid")" 2>/dev/null || true
  for pid in "${pids[@]}"; do
    pkill -TERM -P "$pid" 2>/dev/null || true  # a worker's own process, under its restart loop
    kill "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

# A worker that dies is started again (as systemd would on a real host); meanwhile nginx sends
# its students to the next worker, where the class cookie puts each back in their class.
supervise() {
  local port=$1
  shift
  while true; do
    "$@" >>"$RUN_DIR/worker-$port.log" 2>&1 || true
    echo "nnviz: the worker on port $port stopped; starting it again" >>"$RUN_DIR/worker-$port.log"
    sleep 1
  done
}

upstreams=""
for i in $(seq 0 $((WORKERS - 1))); do
  port=$((FIRST_WORKER_PORT + i))
  if [ "$SEPARATE_HOSTS" = "1" ]; then
    host="$RUN_DIR/host-$port"  # this worker's machine: nothing in it is shared
    mkdir -p "$host/numba" "$host/tmp" "$host/classes"
    ln -sfn "$ROOT/.streamlit" "$host/.streamlit"  # the same server settings, read from the working folder
    : >"$RUN_DIR/worker-$port.log"
    (cd "$host" && supervise "$port" env NNVIZ_TRUST_PROXY=1 NNVIZ_SCRIPTS_AT_ONCE=$SCRIPTS_AT_ONCE NUMBA_CACHE_DIR="$host/numba" \
      TMPDIR="$host/tmp" NNVIZ_CLASS_DIR="$host/classes" "$ROOT/.venv/bin/python" "$ROOT/scripts/serve.py" "$ROOT/app.py" \
      --server.headless true --server.address 127.0.0.1 --server.port "$port") &
  else
    : >"$RUN_DIR/worker-$port.log"
    supervise "$port" env NNVIZ_TRUST_PROXY=1 NNVIZ_SCRIPTS_AT_ONCE=$SCRIPTS_AT_ONCE .venv/bin/python scripts/serve.py app.py \
      --server.headless true --server.address 127.0.0.1 --server.port "$port" &
  fi
  pids+=("$!")
  upstreams+="    server 127.0.0.1:$port max_fails=0;"$'\n'
done

mkdir -p "$RUN_DIR/tmp"
cat >"$RUN_DIR/nginx.conf" <<EOF
worker_processes 1;
pid $RUN_DIR/nginx.pid;
error_log $RUN_DIR/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $RUN_DIR/tmp/body;
  proxy_temp_path $RUN_DIR/tmp/proxy;
  fastcgi_temp_path $RUN_DIR/tmp/fastcgi;
  uwsgi_temp_path $RUN_DIR/tmp/uwsgi;
  scgi_temp_path $RUN_DIR/tmp/scgi;
  client_max_body_size 3m;  # the app takes 2 MB uploads (server.maxUploadSize)

  map \$http_upgrade \$connection_upgrade { default upgrade; '' close; }
  # A student's worker: the nnviz_route cookie, or a fresh random value on the first request.
  map \$cookie_nnviz_route \$nnviz_route { "" \$request_id; default \$cookie_nnviz_route; }
  upstream nnviz_workers {
    hash \$nnviz_route consistent;
$upstreams  }

  gzip on;
  gzip_proxied any;
  gzip_min_length 1024;
  gzip_types application/javascript text/javascript text/css application/json image/svg+xml text/plain;

  server {
    listen $ADDRESS:$PORT;
    location = /_stcore/metrics { return 404; }  # server-wide numbers, not for the public
    location / {
      proxy_pass http://nnviz_workers;
      proxy_http_version 1.1;
      proxy_set_header Host \$http_host;
      proxy_set_header Upgrade \$http_upgrade;
      proxy_set_header Connection \$connection_upgrade;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Real-IP \$remote_addr;  # the visitor's address, for the per-address class caps
      proxy_read_timeout 1d;
      proxy_buffering off;
      add_header Set-Cookie "nnviz_route=\$nnviz_route; Path=/; HttpOnly; SameSite=Lax" always;
      add_header Content-Security-Policy "frame-ancestors $FRAME_ANCESTORS" always;
      add_header X-Frame-Options SAMEORIGIN always;  # older browsers; CSP wins where both are known
      add_header X-Content-Type-Options nosniff always;
      add_header Referrer-Policy same-origin always;
    }
  }
}
EOF

"$NGINX" -t -q -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf"
"$NGINX" -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" -g "daemon off;" &
pids+=("$!")
echo "nnviz for a class: http://$ADDRESS:$PORT with $WORKERS workers (ports $FIRST_WORKER_PORT…$((FIRST_WORKER_PORT + WORKERS - 1))); logs in $RUN_DIR"
wait "${pids[-1]}"  # the proxy; workers are restarted by their loops
echo "error: the proxy stopped; see $RUN_DIR" >&2
exit 1
