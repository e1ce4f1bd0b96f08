#!/bin/busybox sh
# /init of the host-root guest (HostRootGuest): busybox-static, the host's kernel modules, and
# the host's own root file system, which the test bind-mounts read-only at SHARE/host of the 9p
# share (tag multiverse-portal). It mounts the share, builds a root to chroot into, and serves
# commands on the virtio-serial port org.multiverse.test.0 (GuestCommandPort is the host side).
# It mounts the share only after the host's HELLO, so the host may bind its root in late:
#
#   host: HELLO                 guest: READY <uname -r>
#   host: RUN ID B64CMD         guest: OUT ID <line> ... then EXIT ID <code> <elapsed ms>
#   host: SEND ID B64LINE       (a line to ID's stdin)
#   host: CLOSE ID              (ID's stdin ends)
#   host: POWEROFF
#   guest: ERR <reason> for a refused request, FAIL <reason> before powering off after a fatal
#          setup error (on the console always, on the port once the host has said HELLO).
#
# Every wait is bounded, so a broken guest powers off instead of hanging its test. Progress goes
# to the console (ttyS0) as "GUEST: [uptime] ...".
/bin/busybox mkdir -p /proc /sys /dev /sbin /usr/bin /usr/sbin /run /etc /mnt/share /newroot
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

PORT_NAME=org.multiverse.test.0
SHARE_TAG=multiverse-portal
SHARE=/mnt/share
HOST="$SHARE/host"
ROOT=/newroot
# The host's symbolic links (HostSymlinks): QEMU's mapped-xattr 9p cannot read real host links.
LINKS=/hostroot-symlinks
JOBS=/run/jobs
# The host agent's msize (FstabGenerator.MSIZE): fewer, larger 9p messages for big files.
MSIZE=512000
# virtio ports appear within milliseconds of loading virtio_console; this only bounds a
# broken kernel.
PORT_SECONDS=30
# The host may connect late (the host agent starts the VM, the test connects afterwards).
HELLO_SECONDS=300
# With no request for this long the host is gone: power off rather than idle forever.
IDLE_SECONDS=1800
# A SEND waits only while the command's stdin pipe (64 KiB) is full, i.e. it does not read.
SEND_SECONDS=10
# Longer output lines go out in pieces: one write per line keeps concurrent writers' lines
# whole, and a write must fit awk's stdio buffer (4 KiB) with its "OUT ID " prefix.
MAX_LINE=3000
# What commands see in the chroot. SCRAMBLE_JAVA_OPTS: bin/launch-java's JVM options; a small
# heap leaves the guest's memory to the page cache.
CHROOT_ENV="PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
HOME=/tmp/home
XDG_CONFIG_HOME=/tmp/home/.config
TMPDIR=/tmp
LANG=C.UTF-8
TERM=dumb
SCRAMBLE_JAVA_OPTS=-Xmx256m"

TALKING=no

# NOW: milliseconds since boot, from /proc/uptime's centiseconds (ash has no %N in date).
now_ms() {
  read -r up _ < /proc/uptime
  NOW=$(( ${up%.*} * 1000 + 1${up#*.} * 10 - 1000 ))
}
say() { read -r up _ < /proc/uptime; echo "GUEST: [$up] $*"; }
reply() { echo "$*" >&3; } # echo writes its whole line at once: lines never interleave
die() {
  echo "FAIL $*"
  # Only after HELLO, and bounded: a port write blocks while no host client is connected.
  [ "$TALKING" = yes ] && timeout -s KILL 5 sh -c 'echo "FAIL $1" >&3' - "$*"
  sync
  poweroff -f
  sleep 60
}

# busybox has no udev: make udev's /dev/virtio-ports/NAME links from the ports' sysfs names.
link_ports() {
  mkdir -p "$1/virtio-ports"
  for p in /sys/class/virtio-ports/*; do
    [ -r "$p/name" ] || continue
    read -r name < "$p/name"
    [ -n "$name" ] && ln -sfn "../${p##*/}" "$1/virtio-ports/$name"
  done
}

say "loading modules: $(echo $(cat /etc/guest-modules))"
for m in $(cat /etc/guest-modules); do
  insmod "/lib/modules/$m.ko" || die "insmod $m"
done

waited=0
until link_ports /dev; [ -e "/dev/virtio-ports/$PORT_NAME" ]; do
  [ $waited -ge $((PORT_SECONDS * 10)) ] && die "no virtio-serial port named $PORT_NAME"
  sleep 0.1
  waited=$((waited + 1))
done


# `command`: a failed redirection of plain exec would end this shell, and with it the guest.
command exec 3<>"/dev/virtio-ports/$PORT_NAME" || die "cannot open the port $PORT_NAME"

# LINE: the next line from the host. A read returns at once (end of file) while no host client
# is connected, so poll then; give up after $1 seconds without a line.
next_line() {
  now_ms
  give_up=$((NOW + $1 * 1000))
  while :; do
    asked=$NOW
    IFS= read -t 5 -r LINE <&3 && return 0
    now_ms
    [ "$NOW" -ge "$give_up" ] && return 1
    # Back at once: end of file, no host client connected. Do not spin.
    if [ $((NOW - asked)) -lt 1000 ]; then
      sleep 0.2
      now_ms
    fi
  done
}

next_line "$HELLO_SECONDS" || die "no HELLO from the host within $HELLO_SECONDS s"
[ "$LINE" = HELLO ] || die "expected HELLO from the host, got: $LINE"
TALKING=yes
# The share is mounted only now: a host agent starts this VM before the test has bound the
# host root into the share, and the HELLO says it is there.
# cache=loose: the host root does not change under the guest, and without a cache every stat
# and read crosses to QEMU (the first java -version took 12 s instead of 1 s).
mount -t 9p -o "trans=virtio,version=9p2000.L,ro,cache=loose,msize=$MSIZE" "$SHARE_TAG" "$SHARE" \
  || die "cannot mount the 9p share $SHARE_TAG"
[ -d "$HOST/usr" ] || die "the share has no host/usr: bind-mount the host's / at SHARE/host"
# The links layer over the host root hides its unreadable links; a tmpfs upper layer makes the
# whole root writable in memory without hiding anything: the host's /tmp stays visible (the test's
# files and, on CI, maybe the repository itself live there), and writes never reach the host.
mkdir -p /rw
mount -t tmpfs -o mode=0755 tmpfs /rw || die "tmpfs for the overlay's upper layer"
mkdir -p /rw/upper /rw/work
mount -t overlay -o "lowerdir=$LINKS:$HOST,upperdir=/rw/upper,workdir=/rw/work" hostroot "$ROOT" \
  || die "cannot stack the host's links and a writable layer over the share (overlay)"
for d in tmp run proc sys dev; do
  [ -d "$ROOT/$d" ] || die "the host root has no /$d to mount on"
done
mount -t tmpfs -o mode=0755 tmpfs "$ROOT/run" || die "tmpfs on /run"
mount -t proc proc "$ROOT/proc" || die "proc in the chroot"
mount -t sysfs sysfs "$ROOT/sys" || die "sysfs in the chroot"
# The same devtmpfs as /dev (it has one instance): the port links are there too.
mount -t devtmpfs devtmpfs "$ROOT/dev" || die "devtmpfs in the chroot"
link_ports "$ROOT/dev"
mkdir -p "$ROOT/dev/pts" "$ROOT/dev/shm"
mount -t devpts -o ptmxmode=0666 devpts "$ROOT/dev/pts" || die "devpts in the chroot"
mount -t tmpfs -o mode=1777 tmpfs "$ROOT/dev/shm" || die "tmpfs on /dev/shm"
mkdir -p "$ROOT/tmp/home/.config" "$JOBS"
say "host root ready in $ROOT"
reply "READY $(uname -r)"
say "READY"

valid_id() {
  case "$1" in "" | *[!a-z0-9-]*) return 1 ;; esac
  [ ${#1} -le 16 ]
}

# TEXT: $1 decoded from base64; fails for anything but padded base64.
decode() {
  case "$1" in *[!A-Za-z0-9+/=]*) return 1 ;; esac
  [ $(( ${#1} % 4 )) -eq 0 ] || return 1
  TEXT=$(printf '%s' "$1" | base64 -d) || return 1
}

# One command, in the background, its stdin the FIFO: output lines to the port, then its exit
# code and duration.
job() {
  id=$1 cmd=$2 dir=$JOBS/$1
  now_ms
  start=$NOW
  {
    # Not the port (fd 3): the command must not read or hold the host's protocol.
    /bin/busybox env -i $CHROOT_ENV /bin/busybox chroot "$ROOT" /bin/sh -c "$cmd" 2>&1 3>&-
    echo $? > "$dir/rc"
  } | awk -v prefix="OUT $id " -v max="$MAX_LINE" '{
      s = $0
      do { printf "%s%s\n", prefix, substr(s, 1, max); fflush(); s = substr(s, max + 1) } while (s != "")
    }' >&3
  now_ms
  read -r rc < "$dir/rc" || rc=255
  read -r holder < "$dir/holder" && kill "$holder" 2> /dev/null
  rm -rf "$dir" # before EXIT: the host may reuse the ID as soon as it reads EXIT
  reply "EXIT $id $rc $((NOW - start))"
  say "EXIT $id $rc"
}

run_request() {
  id=$1 dir=$JOBS/$1
  valid_id "$id" || { reply "ERR RUN: bad ID '$id'"; return; }
  [ -e "$dir" ] && { reply "ERR RUN $id: ID in use"; return; }
  decode "$2" || { reply "ERR RUN $id: bad base64"; return; }
  mkdir "$dir" && mkfifo "$dir/in" && command exec 4<> "$dir/in" && command exec 5< "$dir/in" \
    || { exec 4<&- 5<&-; rm -rf "$dir"; reply "ERR RUN $id: cannot make its stdin"; return; }
  # The holder keeps a writer on the FIFO until CLOSE, so the command reads end-of-file only
  # then. It and the command's stdin are opened here, before the next request is read: a CLOSE
  # right after this RUN then cannot leave the FIFO without a reader, which would drop what was
  # sent and block the command's open for ever. A read-write open (fd 4) never blocks, and once
  # it is open neither does the read-only one (fd 5). Each subshell rearranges its descriptors
  # with exec: redirections on a function call or builtin would keep hidden copies of fds 4
  # and 5 (to restore them afterwards), and a hidden writer means the command never sees EOF.
  (
    exec <&4 4<&- 5<&- 3>&- > /dev/null 2>&1
    exec sleep "$IDLE_SECONDS"
  ) &
  echo $! > "$dir/holder"
  say "RUN $id: $TEXT"
  (
    exec <&5 4<&- 5<&-
    job "$id" "$TEXT"
  ) &
  exec 4<&- 5<&-
}

send_request() {
  id=$1 dir=$JOBS/$1
  valid_id "$id" && [ -p "$dir/in" ] || { reply "ERR SEND $id: no such command running"; return; }
  [ -e "$dir/closed" ] && { reply "ERR SEND $id: its input is closed"; return; }
  decode "$2" || { reply "ERR SEND $id: bad base64"; return; }
  # Read-write open: never blocks; the write blocks only on a full pipe, hence the timeout.
  timeout -s KILL "$SEND_SECONDS" sh -c 'printf "%s\n" "$1" 1<> "$2"' - "$TEXT" "$dir/in" \
    || reply "ERR SEND $id: its stdin stayed full for $SEND_SECONDS s"
}

close_request() {
  id=$1 dir=$JOBS/$1
  valid_id "$id" && [ -p "$dir/in" ] || { reply "ERR CLOSE $id: no such command running"; return; }
  [ -e "$dir/closed" ] && return
  read -r holder < "$dir/holder" && kill "$holder" 2> /dev/null
  : > "$dir/closed"
}

while :; do
  jobs > /dev/null 2>&1 # reaps finished background commands (and orphans: this is PID 1)
  next_line "$IDLE_SECONDS" || die "no request from the host for $IDLE_SECONDS s"
  set -f # split the request into words, but never expand them as file names
  set -- $LINE
  set +f
  case "$1 $#" in
    "RUN 3") run_request "$2" "$3" ;;
    "RUN 2") run_request "$2" "" ;;
    "SEND 3") send_request "$2" "$3" ;;
    "SEND 2") send_request "$2" "" ;; # an empty line
    "CLOSE 2") close_request "$2" ;;
    "POWEROFF 1")
      say "power off"
      sync
      poweroff -f
      sleep 60
      ;;
    "HELLO 1") reply "READY $(uname -r)" ;; # the host reconnected
    *) reply "ERR bad request: $(printf '%s' "$LINE" | head -c 100)" ;;
  esac
done
