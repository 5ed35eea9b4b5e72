#!/usr/bin/env python3
"""Writes a corpus of component units for the benchmark: N unit files in components of ten
files each (a main unit with a drop-in, a configure unit, seven sub-service units), every unit a
realistic ~35-line file with continuations, a quarter of the components with violations so that
rules report findings, and a vic-lint.toml that declares the components.

With `--compose`, writes N Compose files instead (~90 lines each, three services, anchors and a
merge key, ten files per component with a `.env`), a quarter of them with violations.

With `--components`, writes N components of one unit and one Compose file each (with a `.env`):
the corpus of bench/peers.sh. Every component breaks a few requirements, as a component under
development does, so the run reports some twenty findings per component.

usage: gen_corpus.py OUT_DIR [COUNT] [--compose|--components]   (default 10000 unit files)
"""
import os
import random
import sys

UNIT = """[Unit]
Description={name} component of the VIC appliance
Documentation=https://github.com/vmware/vic-product
Requires={ready} {requires}
After={ready} {requires}

[Service]
Type=simple
Restart=on-failure
RestartSec=5
TimeoutStartSec=0
Environment=DATA_DIR=/storage/data/{name} LOG_DIR=/storage/log/{name}
Environment="JAVA_OPTS=-Xmx512m -Dfile.encoding=UTF-8"
# Remove a container left over from a crash.
ExecStartPre=-/usr/bin/docker rm -f {name}
ExecStartPre=/usr/bin/docker run --rm --cap-drop=ALL --user 1000:1000 \\
  -v ${{DATA_DIR}}:/data {image}-config:{tag} /configure --data /data
ExecStart=/usr/bin/docker run --rm --name {name} \\
  --cap-drop=ALL {caps}--user {user} \\
  --log-opt max-size=10m {maxfile}\\
  -p {port}:{port} \\
  -e JAVA_OPTS -e NAME=%n \\
  -v ${{DATA_DIR}}:/data \\
  -v ${{LOG_DIR}}:/var/log/{name} \\
  -v {certs} \\
  {extra}{image}:{tag}
ExecStop=/usr/bin/docker stop -t 30 {name}
ExecStopPost=-/bin/sh -c 'docker rm -f {name} || true'

[Install]
WantedBy={wanted}
"""

CONFIGURE = """[Unit]
Description=Configure {name}
Requires=vic-appliance-ready.target
After=vic-appliance-ready.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/etc/vmware/{name}/configure.sh
"""

DROPIN = """[Service]
# Local override.
RestartSec=10
Environment=EXTRA=1
"""


COMPOSE_SERVICE = """  {svc}:
    image: vmware/{svc}:{tag}
    restart: always
    cap_drop:
      - ALL
{caps}    user: "{user}"
    environment:
      <<: *common-env
      SERVICE_NAME: {svc}
      JAVA_OPTS: "-Xmx512m -Dfile.encoding=UTF-8"
    volumes:
      - ${{DATA_DIR}}/{svc}:/data
      - {logs}:/var/log/{svc}
      - ${{CERTS_DIR}}:/certs{ro}
    ports:
      - "{port}"
    networks:
      - appliance
    logging:
      driver: json-file
      options:
        max-size: 10m
{maxfile}    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost:8443/health"]
"""

COMPOSE_HEAD = """# Generated Compose file for the vic-lint benchmark.
version: "{version}"
services:
  {comp}-f{k}-base:
    image: vmware/{comp}-base:v1.0.0
    cap_drop: [ALL]
    user: "1000:1000"
    environment: &common-env
      APPLIANCE: vic
      LOG_LEVEL: info
    volumes:
      - ${{DATA_DIR}}/f{k}-base:/data
      - ${{LOG_DIR}}/f{k}-base:/var/log/base
    logging:
      driver: json-file
      options: {{max-size: 10m, max-file: "5"}}
"""

COMPOSE_TAIL = """networks:
  appliance:
    external: true
"""


def compose_corpus(out, total, rnd):
    os.makedirs(out, exist_ok=True)
    components = []
    written = 0
    i = 0
    while written < total:
        comp = f"comp{i:04d}"
        components.append(comp)
        folder = os.path.join(out, comp)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, ".env"), "w") as f:
            f.write(f"DATA_DIR=/storage/data/{comp}\nLOG_DIR=/storage/log/{comp}\nCERTS_DIR=/storage/data/certs\n")
        bad = i % 4 == 0
        for k in range(10):
            if written >= total:
                break
            body = compose_text(comp, k, i, bad, rnd)
            with open(os.path.join(folder, f"docker-compose.f{k}.yml"), "w") as f:
                f.write(body)
            written += 1
        i += 1
    with open(os.path.join(out, "vic-lint.toml"), "w") as f:
        for comp in components:
            f.write(f'[[component]]\nname = "{comp}"\npaths = ["{comp}/**"]\n\n')
    print(f"wrote {written} Compose files for {len(components)} components under {out}")


def unit_text(comp, unit_name, k, i, bad, rnd):
    return UNIT.format(
        name=comp,
        ready="docker.service" if bad and rnd.random() < 0.3 else "vic-appliance-ready.target",
        requires=f"configure-{comp}.service" if k == 0 else f"{comp}.service",
        image=f"vmware/{unit_name}",
        tag="latest" if bad and rnd.random() < 0.3 else f"v1.{i % 9}.{k}",
        caps="--cap-add SYS_ADMIN " if bad and rnd.random() < 0.3 else "",
        user="root" if bad and rnd.random() < 0.2 else "1000:1000",
        maxfile="" if bad and rnd.random() < 0.3 else "--log-opt max-file=5 ",
        port=rnd.choice([443, 8282, 8443, 9443]) if not bad else rnd.choice([8080, 9443]),
        certs="/storage/data/certs:/certs:ro" if not bad else "/storage/data/certs:/certs",
        extra="--network host \\\n  " if bad and rnd.random() < 0.2 else "",
        wanted="multi-user.target" if bad and rnd.random() < 0.3 else "vic-appliance.target",
    )


def compose_text(comp, k, i, bad, rnd):
    body = COMPOSE_HEAD.format(version="3.10" if bad and rnd.random() < 0.2 else "3.3", comp=comp, k=k)
    for s in range(3):
        svc = f"{comp}-f{k}-s{s}"
        body += COMPOSE_SERVICE.format(
            svc=svc,
            tag="latest" if bad and rnd.random() < 0.3 else f"v1.{i % 9}.{k}",
            caps="    cap_add: [SYS_ADMIN]\n" if bad and rnd.random() < 0.3 else "",
            user="root" if bad and rnd.random() < 0.2 else "1000:1000",
            logs="/var/log/" + svc if bad and rnd.random() < 0.3 else "${LOG_DIR}/" + svc,
            ro="" if bad and rnd.random() < 0.3 else ":ro",
            # Ports the appliance lets the user configure; a bad one hard-codes a port.
            port=f"{8080 + i}:8080" if bad and rnd.random() < 0.3 else "${" + f"PORT_{s}" + "}:8443",
            maxfile="" if bad and rnd.random() < 0.3 else '        max-file: "5"\n',
        )
    return body + COMPOSE_TAIL


def components_corpus(out, total, rnd):
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "vic-lint.toml"), "w") as toml:
        for i in range(total):
            comp = f"comp{i:04d}"
            folder = os.path.join(out, comp)
            os.makedirs(folder, exist_ok=True)
            with open(os.path.join(folder, f"{comp}.service"), "w") as f:
                f.write(unit_text(comp, comp, 0, i, True, rnd))
            with open(os.path.join(folder, ".env"), "w") as f:
                f.write(f"DATA_DIR=/storage/data/{comp}\nLOG_DIR=/storage/log/{comp}\nCERTS_DIR=/storage/data/certs\n")
            with open(os.path.join(folder, "docker-compose.yml"), "w") as f:
                f.write(compose_text(comp, 0, i, True, rnd))
            toml.write(f'[[component]]\nname = "{comp}"\npaths = ["{comp}/**"]\n\n')
    print(f"wrote {total} components (one unit and one Compose file each) under {out}")


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    out = args[0]
    total = int(args[1]) if len(args) > 1 else 10000
    if "--components" in sys.argv:
        components_corpus(out, total, random.Random(42))
        return
    if "--compose" in sys.argv:
        compose_corpus(out, total, random.Random(42))
        return
    rnd = random.Random(42)
    os.makedirs(out, exist_ok=True)
    written = 0
    components = []
    i = 0
    while written < total:
        comp = f"comp{i:04d}"
        components.append(comp)
        folder = os.path.join(out, comp)
        os.makedirs(folder, exist_ok=True)
        bad = i % 4 == 0
        for k in range(8):
            if written >= total:
                break
            unit_name = comp if k == 0 else f"{comp}-svc{k}"
            unit = unit_text(comp, unit_name, k, i, bad, rnd)
            with open(os.path.join(folder, f"{unit_name}.service"), "w") as f:
                f.write(unit)
            written += 1
        if written < total:
            with open(os.path.join(folder, f"configure-{comp}.service"), "w") as f:
                f.write(CONFIGURE.format(name=comp))
            written += 1
        if written < total:
            d = os.path.join(folder, f"{comp}.service.d")
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, "10-override.conf"), "w") as f:
                f.write(DROPIN)
            written += 1
        i += 1
    with open(os.path.join(out, "vic-lint.toml"), "w") as f:
        for comp in components:
            f.write(f'[[component]]\nname = "{comp}"\npaths = ["{comp}/**"]\n\n')
    print(f"wrote {written} unit files for {len(components)} components under {out}")


if __name__ == "__main__":
    main()
