#!/bin/bash
# A stand-in for php-fpm: it writes its error log until the instance is terminated.
mkdir -p /var/log/php-fpm
nohup bash -c '
  n=0
  while true; do
    n=$((n + 1))
    echo "[$(date -u "+%d-%b-%Y %H:%M:%S")] WARNING: [pool www] child $$ said into stderr: \"line $n\"" \
      >> /var/log/php-fpm/error.log
    sleep 0.05
  done' >/dev/null 2>&1 &
