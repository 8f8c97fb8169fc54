#!/usr/bin/env python3
"""Writes a container image as a `docker save`-format archive from plain layer tarballs, with no daemon.

containerd imports this format (`ctr -n k8s.io images import`) and names the image from RepoTags.
Layers are uncompressed tarballs (as produced by `tar -C rootfs -cf layer.tar .`); their sha256 are the
diff_ids, so the same inputs always give the same image id, which is what the caller caches on.

  mkimage.py --tag docker.io/apache/spark:4.1.1 --layer base.tar --layer spark.tar \
      --entrypoint /opt/entrypoint.sh --env SPARK_HOME=/opt/spark --user 185 --workdir /opt/spark/work-dir \
      --out spark.image.tar
"""
import argparse
import hashlib
import io
import json
import os
import tarfile


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def add_bytes(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = 0
    tar.addfile(info, io.BytesIO(data))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--tag", required=True)
    p.add_argument("--layer", action="append", default=[])
    p.add_argument("--entrypoint", action="append", default=[])
    p.add_argument("--cmd", action="append", default=[])
    p.add_argument("--env", action="append", default=[])
    p.add_argument("--user", default="")
    p.add_argument("--workdir", default="/")
    p.add_argument("--out", required=True)
    a = p.parse_args()

    diff_ids = ["sha256:" + sha256_file(layer) for layer in a.layer]
    env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"] + a.env
    config = {
        "architecture": "amd64",
        "os": "linux",
        "created": "1970-01-01T00:00:00Z",
        "config": {
            "Env": env,
            "Entrypoint": a.entrypoint or None,
            "Cmd": a.cmd or None,
            "User": a.user,
            "WorkingDir": a.workdir,
        },
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": [{"created": "1970-01-01T00:00:00Z", "created_by": "sparkk8s mkimage.py"} for _ in a.layer],
    }
    config_bytes = json.dumps(config, sort_keys=True).encode()
    config_name = hashlib.sha256(config_bytes).hexdigest() + ".json"
    layer_names = [d.split(":")[1] + "/layer.tar" for d in diff_ids]
    manifest = [{"Config": config_name, "RepoTags": [a.tag], "Layers": layer_names}]

    tmp = a.out + ".tmp"
    with tarfile.open(tmp, "w", format=tarfile.PAX_FORMAT) as tar:
        add_bytes(tar, config_name, config_bytes)
        for src, name in zip(a.layer, layer_names):
            info = tar.gettarinfo(src, arcname=name)
            info.mtime, info.uid, info.gid, info.uname, info.gname = 0, 0, 0, "", ""
            with open(src, "rb") as f:
                tar.addfile(info, f)
        add_bytes(tar, "manifest.json", json.dumps(manifest).encode())
    os.replace(tmp, a.out)
    print(config_name.split(".")[0])


if __name__ == "__main__":
    main()
