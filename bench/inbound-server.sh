# Sourced by bench/inbound-ab.sh and bench/inbound-latency.sh: starts the server under test on a random loopback
# port in a fresh directory under $WORK and waits until it accepts. Sets data, port and pid; stops it on exit.
# MAILERQ is a mailerq binary (with a minimal config: inbound mail to the inbox queue, which nothing consumes), or
# "sink" for Postfix's smtp-sink. Arguments are environment assignments for mailerq.
source bench/free-port.sh
port=$(free_port)
data=$(mktemp -d "$WORK.XXXXXX")
if [[ $MAILERQ == sink ]]; then
  /usr/sbin/smtp-sink -u nobody "127.0.0.1:$port" 1000 & pid=$!
else
  mkdir -p "$data/www"
  cat > "$data/config.txt" <<CONF
www-ip: 127.0.0.1
www-port: 0
www-auth: hardcoded://user:pw
www-dir: $data/www
data-directory: $data/var
smtp-ip: 127.0.0.1
smtp-port: $port
send-log-file: $data/send.log
rabbitmq-inbox: inbox
smtp-connections: 1000
CONF
  env "$@" "$MAILERQ" --config-file "$data/config.txt" 2> "$data/mailerq.log" & pid=$!
fi
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.05; done
