"""Past one machine: ``onrecord batch`` over Ray Data, or over local processes without Ray.

One pure step, ``onrecord.corpus.ingest.extract_items`` (items in, article JSON or a failure
reason out), runs in an actor pool (Ray) or a process pool (multiprocessing); both feed the same
shard writer, so both engines write the same Parquet shards (``onrecord.scale.shards``).
"""
