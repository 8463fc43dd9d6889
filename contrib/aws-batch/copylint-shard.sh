#!/bin/sh
# The command of an AWS Batch array job: child job AWS_BATCH_JOB_ARRAY_INDEX
# (from 0) checks shard index+1 of SHARDS (the array size) of COLLATERAL
# and writes its NDJSON to RESULTS (a shared file system, such as EFS).
set -eu
shard=$((AWS_BATCH_JOB_ARRAY_INDEX + 1))
copylint --shard "$shard/$SHARDS" --fail-on never --format ndjson "$COLLATERAL" \
  > "$RESULTS/shard-$shard.ndjson"
