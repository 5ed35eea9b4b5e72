"""An appliance-shaped tree of N component folders (unit + Compose file each), N tutorials and N
integration documents, for timing component inference at n and 4n:
    python3 bench/gen_appliance_tree.py 2000 /tmp/tree && vic-lint components /tmp/tree"""
import os, sys
n = int(sys.argv[1]); root = sys.argv[2]
S = f"{root}/installer/build/scripts"
os.makedirs(f"{S}/systemd/units", exist_ok=True)
open(f"{S}/systemd/units/vic-appliance-ready.target","w").write("[Unit]\nRequires=ova-firewall.service\n")
open(f"{S}/systemd/units/ova-firewall.service","w").write("[Service]\nType=oneshot\nExecStart=/etc/vmware/fw.sh\n")
os.makedirs(f"{root}/installer/docs/integration", exist_ok=True)
for i in range(n):
    c = f"comp{i}"
    d = f"{S}/{c}"; os.makedirs(d, exist_ok=True)
    open(f"{d}/{c}.service","w").write(f"[Unit]\nRequires=vic-appliance-ready.target\nAfter=vic-appliance-ready.target\n\n[Service]\nExecStart=/usr/local/bin/docker-compose -f /etc/vmware/{c}/docker-compose.yml up\n\n[Install]\nWantedBy=vic-appliance.target\n")
    open(f"{d}/docker-compose.yml","w").write(f"version: '2'\nservices:\n  web:\n    image: vmware/{c}:v1.0.0\n    volumes:\n      - /storage/data/{c}:/data\n")
    t = f"{root}/tutorials/t{i}"; os.makedirs(t, exist_ok=True)
    open(f"{t}/docker-compose.yml","w").write("version: '2'\nservices:\n  app:\n    image: wordpress:latest\n")
    open(f"{root}/installer/docs/integration/{c}.md","w").write("# Doc\n\n## Component Inclusion\n")
