#!/bin/busybox sh
# /init of the tiny guest that GuestBootTest boots (busybox-static + the kernel's 9p modules).
# It does what a portal's init does with the host agent's share: mounts the share with the
# fstab line the agent generated (read from .multiverse/fstab in the share), then proves the
# links work and reports each step, one line at a time, over the virtio-serial port
# org.multiverse.test.0. The host test drives it with HELLO and LINKED lines.
/bin/busybox mkdir -p /proc /sys /dev /sbin /usr/bin /usr/sbin /run /etc
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

# Every wait in here is bounded, so a broken guest powers off instead of hanging the test.
WAIT_SECONDS=60
PORT_FD=
say() { echo "GUEST: $*"; [ -n "$PORT_FD" ] && echo "$*" >&3; }
die() { say "FAIL $*"; sync; poweroff -f; sleep 60; }

for m in $(cat /etc/guest-modules); do
  insmod "/lib/modules/$m.ko" || die "insmod $m"
done

# busybox has no udev, hence no /dev/virtio-ports/NAME links: find the port by its sysfs name.
PORT=
for p in /sys/class/virtio-ports/*; do
  [ "$(cat "$p/name" 2>/dev/null)" = org.multiverse.test.0 ] && PORT="/dev/${p##*/}"
done
[ -n "$PORT" ] || die "no virtio-serial port named org.multiverse.test.0"
exec 3<>"$PORT" || die "cannot open $PORT"
PORT_FD=3
# QEMU drops what a port writes while no host client is connected: wait for the host first.
read -t "$WAIT_SECONDS" -r hello <&3 || die "no HELLO from the host"
[ "$hello" = HELLO ] || die "expected HELLO, got $hello"

# The agent's fstab lives in the share itself: mount the share once to read it.
mkdir -p /run/bootstrap
mount -t 9p -o trans=virtio,version=9p2000.L,ro multiverse-portal /run/bootstrap \
  || die "bootstrap mount of the share"
cp /run/bootstrap/.multiverse/fstab /etc/fstab || die "no .multiverse/fstab in the share"
umount /run/bootstrap
MP=$(awk '$1 == "multiverse-portal" { print $2 }' /etc/fstab)
[ -n "$MP" ] || die "the fstab has no multiverse-portal line"
mkdir -p "$MP"
mount -a || die "mount -a with the generated fstab"
say "FSTAB $(grep '^multiverse-portal ' /etc/fstab)"
say "MOUNTED $(grep "^multiverse-portal $MP 9p " /proc/mounts)"
say "READ $(cat "$MP/inbox/hello.txt")"
if echo evil 2>/dev/null > "$MP/inbox/evil.txt"; then say "RO-WRITE allowed"; else say "RO-WRITE refused"; fi

# A link made while the guest runs must show up at once.
say "WAITING late"
read -t "$WAIT_SECONDS" -r linked <&3 || die "no LINKED from the host"
[ "$linked" = LINKED ] || die "expected LINKED, got $linked"
say "LATE $(cat "$MP/late/go.txt")"
echo "answer $(cat "$MP/inbox/hello.txt") $(cat "$MP/late/go.txt")" > "$MP/outbox/answer.txt" \
  || die "cannot write to the read-write link"
sync
say "DONE"
poweroff -f
