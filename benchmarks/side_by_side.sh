#!/usr/bin/env bash
# Side by side, in one run (benchmarks/README.md): our full signed checks and signed GetResponse
# against the crypto bound measured in the same run; our unsigned endpoint against WireMock
# (static stub, journal off, after a JIT warm-up) and nginx (static body), all loaded by wrk
# with the same POST; start-up to the first served request, ours and WireMock's.
#
#   benchmarks/side_by_side.sh [--quick] [--out FILE]
#
# Needs: build/release (cmake --preset release && cmake --build --preset release), wrk and
# nginx (Debian: apt-get install wrk nginx-light), Java 17 and npm (WireMock comes from the npm
# package `wiremock`, installed into $GOSDOKI_BENCH_TOOLS, default ~/.cache/gosdoki-bench).
# WireMock or nginx missing: their rows say so and the rest still runs. Writes a Markdown table
# to stdout and to --out (default build/side-by-side.md).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/build/release/gosdoki-sandbox"
out="$root/build/side-by-side.md"
check_time=20s getresp_ops=40000 wrk_time=10s warm_time=10s
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) check_time=5s getresp_ops=5000 wrk_time=3s warm_time=3s ;;
    --out) [ $# -ge 2 ] || { echo "side_by_side.sh: --out needs a file name" >&2; exit 64; }; out="$2"; shift ;;
    *) echo "side_by_side.sh: unknown argument $1 (--quick, --out FILE)" >&2; exit 64 ;;
  esac
  shift
done
[ -x "$bin" ] || { echo "side_by_side.sh: $bin missing: cmake --preset release && cmake --build --preset release" >&2; exit 2; }
command -v wrk >/dev/null || { echo "side_by_side.sh: wrk missing (apt-get install wrk)" >&2; exit 2; }
mkdir -p "$(dirname "$out")" && : >>"$out" || { echo "side_by_side.sh: cannot write --out $out" >&2; exit 64; }
tools="${GOSDOKI_BENCH_TOOLS:-$HOME/.cache/gosdoki-bench}"
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

ports=(18701 18702 18703 18704) admin=18702 smev3=18701 wm_port=18711 nginx_port=18712
for p in "${ports[@]}" $wm_port $nginx_port; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
    echo "side_by_side.sh: port $p is in use; the script needs 18701-18704, 18711 and 18712 free" >&2; exit 2
  fi
done
path=/transport_1_0_2/   # message-exchange 1.3
now_ms() { date +%s%3N; }
num() { awk -v a="$1" -v d="${2:-0}" 'BEGIN { if (a ~ /^[0-9.e+-]+$/) printf "%.*f", d, a; else print a }'; }
json_get() { sed -n "s/.*\"$1\": *\([-0-9.e+]*\).*/\1/p" "$2" | head -1; }

# Milliseconds from $1 (start, ms) until a POST of $3 to port $2 answers 200; $4: the pid
# serving it (its death ends the wait) and $5 its log (shown then).
first_answer_ms() {
  local start=$1 port=$2 body=$3 pid=${4:-} log=${5:-} deadline=$(( $(now_ms) + 30000 ))
  while [ "$(now_ms)" -lt "$deadline" ]; do
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      echo "side_by_side.sh: the server on port $port exited; its log:" >&2
      [ -n "$log" ] && cat "$log" >&2
      return 1
    fi
    if code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 -X POST -H 'Content-Type: text/xml; charset=utf-8' \
                   -H 'SOAPAction: "urn:GetResponse"' --data-binary "@$body" "http://127.0.0.1:$port$path" 2>/dev/null) &&
       [ "$code" = 200 ]; then
      echo $(( $(now_ms) - start )); return 0
    fi
  done
  echo "side_by_side.sh: nothing answered on port $port within 30 s" >&2
  [ -n "$log" ] && cat "$log" >&2
  echo "timeout"; return 1
}

start_serve() {  # extra serve options...
  "$bin" serve --smev3-port $smev3 --admin-port $admin --esia-port ${ports[2]} --smev4-port ${ports[3]} \
    --data-dir "$work/data-$RANDOM" --rate-limit-smev3 0 --rate-limit-smev4 0 --seed 7 "$@" >"$work/serve.log" 2>&1 &
  serve_pid=$!
  pids+=("$serve_pid")
}
stop_serve() { kill "$serve_pid" 2>/dev/null || true; wait "$serve_pid" 2>/dev/null || true; }

wrk_rps() {  # port [duration] → requests/s of a POST of the envelope (wrk, 2 threads, 16 connections)
  wrk -t2 -c16 -d"${2:-$wrk_time}" -s "$work/post.lua" "http://127.0.0.1:$1$path" >"$work/wrk.txt" 2>&1 || true
  local rps non2xx
  rps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$work/wrk.txt")
  non2xx=$(sed -n 's/.*Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' "$work/wrk.txt")
  if [ -n "$non2xx" ]; then echo "errors:$non2xx"; else echo "${rps:-0}"; fi
}

echo "side_by_side.sh: $(date -u +%FT%TZ), $(nproc) cores, $(uname -m); work in $work" >&2
"$bin" load --write-envelope "$work/get-response.xml" >/dev/null
cat >"$work/post.lua" <<EOF
wrk.method = "POST"
local f = io.open("$work/get-response.xml", "rb")
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "text/xml; charset=utf-8"
wrk.headers["SOAPAction"] = '"urn:GetResponse"'
EOF

# 1. Start-up to the first served request, then full signed checks and signed GetResponse.
t0=$(now_ms); start_serve
startup_ours=$(first_answer_ms "$t0" $smev3 "$work/get-response.xml" "$serve_pid" "$work/serve.log") || exit 1
"$bin" load --emulator "http://127.0.0.1:$admin" --operation check --clients 4 --duration "$check_time" --json "$work/check.json" >&2
"$bin" load --emulator "http://127.0.0.1:$admin" --operation get-response --clients 4 --presign "$getresp_ops" \
  --duration 60s --json "$work/getresp.json" >&2
stop_serve

# 2. The unsigned endpoint: the same GetResponse, --signature-check off (parse, schema, the
# caller from its certificate, the queue, the template answer), under wrk.
start_serve --signature-check off
first_answer_ms "$(now_ms)" $smev3 "$work/get-response.xml" "$serve_pid" "$work/serve.log" >/dev/null || exit 1
curl -s -X POST -H 'Content-Type: text/xml; charset=utf-8' -H 'SOAPAction: "urn:GetResponse"' \
  --data-binary "@$work/get-response.xml" "http://127.0.0.1:$smev3$path" >"$work/answer.xml"
rps_ours=$(num "$(wrk_rps $smev3)")
curl -s "http://127.0.0.1:$admin/admin/process" >"$work/process.json"
rss_ours=$(json_get peakRssBytes "$work/process.json")
stop_serve

# 3. WireMock standalone: a static stub with exactly our answer, request journal off.
wm_jar=$(ls "$tools"/node_modules/wiremock/build/wiremock-standalone-*.jar 2>/dev/null | head -1 || true)
if [ -z "$wm_jar" ] && command -v npm >/dev/null; then
  mkdir -p "$tools" && (cd "$tools" && npm install --no-audit --no-fund wiremock@3 >/dev/null 2>&1) || true
  wm_jar=$(ls "$tools"/node_modules/wiremock/build/wiremock-standalone-*.jar 2>/dev/null | head -1 || true)
fi
rps_wm="not run (no WireMock jar)" startup_wm="not run" rss_wm=""
if [ -n "$wm_jar" ] && command -v java >/dev/null; then
  mkdir -p "$work/wm/mappings" "$work/wm/__files"
  cp "$work/answer.xml" "$work/wm/__files/answer.xml"
  cat >"$work/wm/mappings/get-response.json" <<EOF
{"request": {"method": "POST", "url": "$path"},
 "response": {"status": 200, "bodyFileName": "answer.xml", "headers": {"Content-Type": "text/xml; charset=utf-8"}}}
EOF
  t0=$(now_ms)
  java -jar "$wm_jar" --port $wm_port --root-dir "$work/wm" --no-request-journal --disable-banner >"$work/wm.log" 2>&1 &
  wm_pid=$!; pids+=("$wm_pid")
  startup_wm=$(first_answer_ms "$t0" $wm_port "$work/get-response.xml" "$wm_pid" "$work/wm.log" || true)
  wrk_rps $wm_port "$warm_time" >/dev/null  # JIT warm-up
  rps_wm=$(num "$(wrk_rps $wm_port)")
  rss_wm=$(awk '/VmHWM/ {print $2 * 1024}' /proc/$wm_pid/status)
  kill "$wm_pid"; wait "$wm_pid" 2>/dev/null || true
fi

# 4. nginx: the same answer as a static file, served to POST.
rps_nginx="not run (no nginx)"
if command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; then
  ng=$(command -v nginx || echo /usr/sbin/nginx)
  mkdir -p "$work/ng/logs"
  # nginx answers a POST to a static file with 405: the body goes inline (it has no single quote).
  body=$(cat "$work/answer.xml")
  cat >"$work/ng/nginx.conf" <<EOF
worker_processes 1;
error_log $work/ng/logs/error.log;
pid $work/ng/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/ng/body; proxy_temp_path $work/ng/proxy; fastcgi_temp_path $work/ng/fcgi;
  uwsgi_temp_path $work/ng/uwsgi; scgi_temp_path $work/ng/scgi;
  server {
    listen 127.0.0.1:$nginx_port;
    location = $path { default_type "text/xml; charset=utf-8"; return 200 '$body'; }
  }
}
EOF
  "$ng" -p "$work/ng" -c "$work/ng/nginx.conf" -g 'daemon off;' >"$work/ng.log" 2>&1 &
  ng_pid=$!; pids+=("$ng_pid")
  first_answer_ms "$(now_ms)" $nginx_port "$work/get-response.xml" >/dev/null || true
  rps_nginx=$(num "$(wrk_rps $nginx_port)")
  kill "$ng_pid"; wait "$ng_pid" 2>/dev/null || true
fi

# The table.
cores=$(json_get cores "$work/check.json")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0 && a ~ /^[0-9.]+$/) printf "%.2f", a / b; else print "n/a" }'; }
pct() { awk -v a="$1" 'BEGIN { printf "%.1f %%", 100 * a }'; }
mib() { awk -v a="$1" 'BEGIN { if (a + 0 > 0) printf "%.1f MiB", a / 1048576; else print "n/a" }'; }
check_ps=$(num "$(json_get perSecond "$work/check.json")" 1)
check_bound=$(num "$(json_get cryptoBoundPerSecond "$work/check.json")")
check_ratio=$(json_get ratioToCryptoBound "$work/check.json")
check_cpu=$(json_get serverCpuMsPerOp "$work/check.json")
check_crypto=$(json_get cryptoUsPerOp "$work/check.json")
gr_ps=$(num "$(json_get perSecond "$work/getresp.json")")
gr_bound=$(num "$(json_get envelopeBoundPerSecond "$work/getresp.json")")
gr_ratio=$(json_get ratioToEnvelopeBound "$work/getresp.json")
sign_us=$(num "$(json_get signUs "$work/check.json")") verify_us=$(num "$(json_get verifyUs "$work/check.json")")
env_us=$(num "$(json_get envelopeVerifyUs "$work/getresp.json")")
{
  echo "Run of $(date -u '+%F %H:%M') UTC on $cores cores ($(uname -m)); \`benchmarks/side_by_side.sh$( [ "$check_time" = 5s ] && echo ' --quick')\`."
  echo "Crypto measured in this run: ГОСТ sign ${sign_us} µs, verify ${verify_us} µs; parse + C14N + transform + digest + verify of the signed GetResponse ${env_us} µs."
  echo
  echo "| figure | ours | reference | ratio | target |"
  echo "|---|---|---|---|---|"
  echo "| full signed checks/s (СМЭВ 3, 4 clients, $check_time) | $check_ps | crypto bound $check_bound/s (crypto, both sides, $(awk -v a="$check_crypto" 'BEGIN{printf "%.1f", a/1000}') ms per check; server CPU $(awk -v a="$check_cpu" 'BEGIN{printf "%.1f", a}') ms per check) | $(pct "$check_ratio") | ≥ 70 % |"
  echo "| signed GetResponse/s (verification on, $getresp_ops presigned, 4 clients) | $gr_ps | envelope bound $gr_bound/s | $(pct "$gr_ratio") | ≥ 80 % |"
  echo "| unsigned GetResponse/s (wrk -t2 -c16, $wrk_time) vs WireMock static stub | $rps_ours | $rps_wm | $(ratio "$rps_ours" "$rps_wm") | ≥ 2 |"
  echo "| unsigned GetResponse/s vs nginx static body | $rps_ours | $rps_nginx | $(ratio "$rps_ours" "$rps_nginx") | ≥ 0.5 |"
  echo "| server peak RSS during the unsigned run | $(mib "$rss_ours") | WireMock $(mib "$rss_wm") | | < 64 MB |"
  echo "| start to first served request | $startup_ours ms | WireMock $startup_wm ms | $(ratio "$startup_ours" "$startup_wm") | < 50 ms |"
} | tee "$out"
