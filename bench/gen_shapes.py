"""One input of a given shape and size, for bench/scaling.sh: python3 bench/gen_shapes.py SHAPE N DIR.

Each shape grows one dimension of the input and keeps the others small, so that a cost that is
not linear in that dimension shows as a growth factor above 4 between N and 4N.
"""
import os
import sys

UNIT_HEAD = """[Unit]
Description=Admiral
Requires=vic-appliance-ready.target
After=vic-appliance-ready.target

[Service]
Restart=on-failure
"""
UNIT_TAIL = """
[Install]
WantedBy=vic-appliance.target
"""
COMPOSE_SERVICE = """  svc{i}:
    image: vmware/admiral:v1.5.{i}
    privileged: true
    ports:
      - "{port}:8080"
    volumes:
      - /data/svc{i}:/data
      - ./common/config/svc{i}:/etc/svc:ro
    logging:
      options:
        max-size: "10m"
"""
QUESTION = "- What is question number {i} of the component?\n\n"


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def write_args(out, args, prepare=None):
    """Extra arguments of `check` for the shape, read by bench/scaling.sh; `prepare` is run once
    before the timed runs."""
    import json

    with open(f"{out}.args.json", "w") as f:
        json.dump({"args": args, "prepare": prepare or []}, f)


def unit_with(lines):
    return UNIT_HEAD + lines + UNIT_TAIL


def shape(name, n, out):
    if name == "continuations":
        # One ExecStart= of n `\`-continued lines, each a docker option with a finding.
        body = "ExecStart=/usr/bin/docker run --rm --name admiral \\\n"
        body += "".join(f"  -v /d{i}:/d \\\n" for i in range(n))
        body += "  vmware/admiral:v1.5.0\n"
        write(f"{out}/admiral/admiral.service", unit_with(body))
    elif name == "long-line":
        # One ExecStart= line of n options, no continuation.
        opts = " ".join(f"-e K{i}=v{i}" for i in range(n))
        write(f"{out}/admiral/admiral.service", unit_with(f"ExecStart=/usr/bin/docker run --rm {opts} vmware/admiral:v1.5.0\n"))
    elif name == "unit-keys":
        # n Environment= lines in one unit.
        body = "".join(f"Environment=K{i}=v{i}\n" for i in range(n))
        body += "ExecStart=/usr/bin/docker run --rm --name admiral vmware/admiral:v1.5.0\n"
        write(f"{out}/admiral/admiral.service", unit_with(body))
    elif name == "questions":
        # One integration document of n unanswered questions (n findings).
        text = "# Integration\n\n## Component Inclusion\n\n### Component Requirements\n" + "".join(
            QUESTION.format(i=i) for i in range(n)
        )
        write(f"{out}/admiral/docs/INTEGRATION.md", text)
        write(f"{out}/admiral/admiral.service", unit_with("ExecStart=/usr/bin/docker run --rm vmware/admiral:v1.5.0\n"))
    elif name == "services":
        # One Compose file of n services, each with findings, a mount and a port.
        text = "version: '3.3'\nservices:\n" + "".join(
            COMPOSE_SERVICE.format(i=i, port=10000 + i % 50000) for i in range(n)
        )
        write(f"{out}/admiral/docker-compose.yml", text)
    elif name == "mounts":
        # One Compose service with n volumes (n findings).
        vols = "".join(f"      - /data/v{i}:/v{i}\n" for i in range(n))
        write(f"{out}/admiral/docker-compose.yml", f"version: '3.3'\nservices:\n  web:\n    image: vmware/admiral:v1.5.0\n    volumes:\n{vols}")
    elif name == "ports":
        # n services publishing the same port: a port conflict for each pair if compared pairwise.
        text = "version: '3.3'\nservices:\n" + "".join(
            f"  s{i}:\n    image: vmware/admiral:v1.5.0\n    ports:\n      - \"8282:8282\"\n" for i in range(n)
        )
        write(f"{out}/admiral/docker-compose.yml", text)
    elif name == "yaml-keys":
        # One service with n labels.
        labels = "".join(f"      k{i}: v{i}\n" for i in range(n))
        write(f"{out}/admiral/docker-compose.yml", f"version: '3.3'\nservices:\n  web:\n    image: vmware/admiral:v1.5.0\n    labels:\n{labels}")
    elif name == "dropins":
        # One unit with n drop-ins.
        write(f"{out}/admiral/admiral.service", unit_with("ExecStart=/usr/bin/docker run --rm vmware/admiral:v1.5.0\n"))
        for i in range(n):
            write(f"{out}/admiral/admiral.service.d/{i:06}-x.conf", f"[Service]\nEnvironment=K{i}=v{i}\n")
    elif name == "components":
        # n component folders, one unit each, all publishing the same port (NET-1 conflicts).
        for i in range(n):
            write(
                f"{out}/c{i}/c{i}.service",
                unit_with(f"ExecStart=/usr/bin/docker run --rm -p 8282:8282 -v /data/c{i}:/data vmware/c{i}:v1.0.0\n"),
            )
    elif name == "version-lines":
        # A version file of n entries, and one component.
        write(f"{out}/version", "".join(f"c{i}=vmware/c{i}:v1.0.0 1fa8a0f5ec6d\n" for i in range(n)))
        write(f"{out}/admiral/admiral.service", unit_with("ExecStart=/usr/bin/docker run --rm vmware/admiral:v1.5.0\n"))
    elif name == "drone-steps":
        # A .drone.yml of n steps.
        steps = "".join(f"  step{i}:\n    image: golang:1.9\n    commands:\n      - go test ./pkg{i}/...\n" for i in range(n))
        write(f"{out}/admiral/.drone.yml", "pipeline:\n" + steps)
        write(f"{out}/admiral/admiral.service", unit_with("ExecStart=/usr/bin/docker run --rm vmware/admiral:v1.5.0\n"))
    elif name == "compose-files":
        # n override Compose files in one component's folder, no unit: each is matched to a
        # base file beside it, which must not be a scan of all the others.
        write(f"{out}/admiral/docker-compose.yml", "version: '3.3'\nservices:\n  base:\n    image: vmware/admiral:v1.5.0\n")
        for i in range(n):
            write(
                f"{out}/admiral/docker-compose.f{i}.yml",
                f"version: '3.3'\nservices:\n  s{i}:\n    image: vmware/admiral:v1.5.{i}\n    privileged: true\n",
            )
    elif name == "fixes":
        # One Compose file of n services, each with a suppressed finding and a finding with a
        # safe fix (the certificate mount made read-only); timed with `--diff`.
        svc = (
            "  s{i}:\n    image: vmware/admiral:v1.5.{i}\n    # vic-lint: ignore[K001] a bench service\n"
            "    privileged: true\n    volumes:\n      - /storage/data/certs:/certs\n"
        )
        write(f"{out}/admiral/docker-compose.yml", "version: '3.3'\nservices:\n" + "".join(svc.format(i=i) for i in range(n)))
        write_args(out, ["--diff"])
    elif name == "baseline":
        # The services shape with a baseline of all its findings (written first with
        # `--write-baseline`), so that every finding is looked up in n baseline entries.
        shape("services", n, out)
        baseline = os.path.abspath(f"{out}.baseline.json")
        write_args(out, ["--baseline", baseline], prepare=["--write-baseline", baseline])
    elif name == "stale-baseline":
        # A baseline of n entries that match no finding: each is reported (S003) at its place.
        import json

        write(f"{out}/admiral/admiral.service", unit_with("ExecStart=/usr/bin/docker run --rm vmware/admiral:v1.5.0\n"))
        entries = [
            {"fingerprint": f"{i * 2654435761 % 2**64:016x}", "rule": "K001", "path": "admiral/gone.yml", "message": f"gone {i}"}
            for i in range(n)
        ]
        baseline = os.path.abspath(f"{out}.baseline.json")
        with open(baseline, "w") as f:
            json.dump({"version": 1, "findings": entries}, f, indent=2)
        write_args(out, ["--baseline", baseline])
    elif name == "recorded-images":
        # n services whose images the version file records, n entries: each image is looked up
        # among the entries, which must not be a scan of all of them.
        write(f"{out}/admiral/version", "".join(f"s{i}=vmware/s{i}:v1.0.{i} 1fa8a0f5ec6d\n" for i in range(n)))
        text = "version: '3.3'\nservices:\n" + "".join(f"  s{i}:\n    image: vmware/s{i}:v1.0.{i}\n" for i in range(n))
        write(f"{out}/admiral/docker-compose.yml", text)
    elif name == "unit-distinct-keys":
        # n distinct keys in one unit (`X-` keys, which systemd ignores): merging a unit with
        # its drop-ins looks each one up.
        body = "".join(f"X-Key{i}=v{i}\n" for i in range(n))
        body += "ExecStart=/usr/bin/docker run --rm --name admiral vmware/admiral:v1.5.0\n"
        write(f"{out}/admiral/admiral.service", unit_with(body))
    elif name == "md-paragraph":
        # A README whose one bullet runs on for n lines: every Markdown file is parsed to see
        # whether it is an integration document.
        text = "# Notes\n\n- A bullet that goes on\n" + "".join(f"  and on, line {i} of it\n" for i in range(n))
        write(f"{out}/admiral/README.md", text)
        write(f"{out}/admiral/admiral.service", unit_with("ExecStart=/usr/bin/docker run --rm vmware/admiral:v1.5.0\n"))
    elif name == "md-subbullets":
        # A changelog bullet ending in `:` with n sub-bullets, each read as part of its answer.
        text = "# Changes\n\n- Fixes:\n" + "".join(f"  - fixed issue {i}\n" for i in range(n))
        write(f"{out}/admiral/CHANGELOG.md", text)
        write(f"{out}/admiral/admiral.service", unit_with("ExecStart=/usr/bin/docker run --rm vmware/admiral:v1.5.0\n"))
    elif name == "one-line-compose":
        # A Compose file in flow style on one line, n services with findings: columns far
        # along one line.
        services = ", ".join(f'"s{i}": {{"image": "vmware/s{i}:latest", "privileged": true}}' for i in range(n))
        write(f"{out}/admiral/docker-compose.yml", '{"version": "3.3", "services": {' + services + "}}\n")
    elif name == "junit-files":
        # n component folders with a unit each, reported as JUnit: a test case per clean file.
        for i in range(n):
            write(f"{out}/c{i}/c{i}.service", unit_with(f"ExecStart=/usr/bin/docker run --rm --cap-drop=ALL vmware/c{i}:v1.0.0\n"))
        write_args(out, ["--format", "junit"])
    elif name == "worst-unit":
        # Just under 8 MiB of continuation lines: ExecStartPre= lines of 0.9 MiB each, under
        # systemd's 1 MiB line limit, so that every one is read.
        block = "".join(f"  -v /d{i}:/d \\\n" for i in range(55000))
        body = "".join(f"ExecStartPre=/usr/bin/docker run --rm \\\n{block}  vmware/admiral:v1.5.0\n" for _ in range(8))
        body += "ExecStart=/usr/bin/docker run --rm vmware/admiral:v1.5.0\n"
        write(f"{out}/admiral/admiral.service", unit_with(body)[: 8 * 1024 * 1024 - 1])
    elif name == "worst-questions":
        text = "# Integration\n\n## Component Inclusion\n\n### Component Requirements\n"
        count = (8 * 1024 * 1024 - 200) // len(QUESTION.format(i=100000))
        text += "".join(QUESTION.format(i=100000 + i) for i in range(count))
        write(f"{out}/admiral/docs/INTEGRATION.md", text)
        write(f"{out}/admiral/admiral.service", unit_with("ExecStart=/usr/bin/docker run --rm vmware/admiral:v1.5.0\n"))
    elif name == "worst-services":
        count = (8 * 1024 * 1024 - 100) // len(COMPOSE_SERVICE.format(i=100000, port=20000))
        text = "version: '3.3'\nservices:\n" + "".join(
            COMPOSE_SERVICE.format(i=100000 + i, port=10000 + i % 50000) for i in range(count)
        )
        write(f"{out}/admiral/docker-compose.yml", text)
    else:
        sys.exit(f"unknown shape {name}")


SHAPES = [
    "continuations", "long-line", "unit-keys", "questions", "services", "mounts", "ports",
    "yaml-keys", "dropins", "components", "version-lines", "drone-steps", "compose-files",
    "fixes", "baseline", "stale-baseline", "recorded-images", "unit-distinct-keys", "md-paragraph",
    "md-subbullets", "one-line-compose", "junit-files",
]

if __name__ == "__main__":
    if len(sys.argv) == 2 and sys.argv[1] == "--list":
        print("\n".join(SHAPES))
        sys.exit(0)
    shape(sys.argv[1], int(sys.argv[2]), sys.argv[3])
