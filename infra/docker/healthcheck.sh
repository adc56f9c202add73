#!/bin/bash
# The image's HEALTHCHECK: healthy when a port this container listens on answers
# GET /health/ready with 200. Serve and work listen on different ports, so it finds them in
# /proc/net/tcp instead of needing one more setting. bash and /proc only: it runs every few
# seconds in every container, and a Python start-up each time costs a loaded machine dearly.
while read -r _ local _ state _; do
  [[ $state == 0A ]] || continue  # LISTEN
  port=$((16#${local##*:}))
  { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || continue
  printf 'GET /health/ready HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
  read -r -t 3 _ code _ <&3 || code=
  exec 3<&-
  [[ $code == 200 ]] && exit 0
done < <(tail -n +2 /proc/net/tcp)
exit 1
