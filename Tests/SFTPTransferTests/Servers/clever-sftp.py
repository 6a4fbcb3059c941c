#!/usr/bin/env python3
"""clever-sftp.py: a stand-in for Clever's SFTP service, for the sftp-put tests.

    python3 clever-sftp.py --port 0 --root DIR --user NAME --password-file FILE
        --host-key FILE [--authorized-keys FILE] [--quota BYTES] [--read-only]
        [--statvfs] [--log FILE] [--refuse-sftp-after N] [--staging DIR]

Clever runs github.com/Clever/sftp: golang.org/x/crypto/ssh in front of an old fork of
github.com/pkg/sftp whose files live in S3. This server copies what an uploader can see of
that code (README.md beside this file has the list); a plain folder, --root, plays the S3
bucket. Binds 127.0.0.1, prints one line `port=NNNNN` once listening, serves until SIGTERM
(exit 0). Usage errors exit 64, an unreadable input file 66, no paramiko 69, no socket 71.

Needs paramiko (Debian: python3-paramiko). When the `python3` that runs this file has no
paramiko (a pyenv one, say) and /usr/bin/python3 is another interpreter, the script
re-executes itself with /usr/bin/python3 (same process id, so signals still reach it).
"""

import os
import sys

try:
    import paramiko
except ImportError:  # pragma: no cover - depends on the machine
    system_python = "/usr/bin/python3"
    if (
        os.environ.get("CLEVER_SFTP_REEXEC") != "1"
        and os.access(system_python, os.X_OK)
        and os.path.realpath(sys.executable) != os.path.realpath(system_python)
    ):
        os.environ["CLEVER_SFTP_REEXEC"] = "1"
        os.execv(system_python, [system_python] + sys.argv)
    sys.stderr.write("clever-sftp.py: needs paramiko (apt-get install python3-paramiko)\n")
    sys.exit(69)

import argparse
import base64
import bisect
import collections
import hmac
import json
import logging
import shutil
import signal
import socket
import stat as statmod
import tempfile
import threading
import time

from paramiko.common import (
    MSG_CHANNEL_OPEN,
    OPEN_FAILED_UNKNOWN_CHANNEL_TYPE,
    cMSG_CHANNEL_OPEN_FAILURE,
    cMSG_CHANNEL_OPEN_SUCCESS,
)
from paramiko.message import Message

# --- SFTP v3 constants (draft-ietf-secsh-filexfer-02) ---------------------------------

FXP_INIT, FXP_VERSION, FXP_OPEN, FXP_CLOSE, FXP_READ, FXP_WRITE = 1, 2, 3, 4, 5, 6
FXP_LSTAT, FXP_FSTAT, FXP_SETSTAT, FXP_FSETSTAT, FXP_OPENDIR, FXP_READDIR = 7, 8, 9, 10, 11, 12
FXP_REMOVE, FXP_MKDIR, FXP_RMDIR, FXP_REALPATH, FXP_STAT, FXP_RENAME = 13, 14, 15, 16, 17, 18
FXP_READLINK, FXP_SYMLINK = 19, 20
FXP_STATUS, FXP_HANDLE, FXP_DATA, FXP_NAME, FXP_ATTRS = 101, 102, 103, 104, 105
FXP_EXTENDED, FXP_EXTENDED_REPLY = 200, 201

OP_NAMES = {
    FXP_INIT: "INIT", FXP_OPEN: "OPEN", FXP_CLOSE: "CLOSE", FXP_READ: "READ", FXP_WRITE: "WRITE",
    FXP_LSTAT: "LSTAT", FXP_FSTAT: "FSTAT", FXP_SETSTAT: "SETSTAT", FXP_FSETSTAT: "FSETSTAT",
    FXP_OPENDIR: "OPENDIR", FXP_READDIR: "READDIR", FXP_REMOVE: "REMOVE", FXP_MKDIR: "MKDIR",
    FXP_RMDIR: "RMDIR", FXP_REALPATH: "REALPATH", FXP_STAT: "STAT", FXP_RENAME: "RENAME",
    FXP_READLINK: "READLINK", FXP_SYMLINK: "SYMLINK", FXP_EXTENDED: "EXTENDED",
}

FX_OK, FX_EOF, FX_NO_SUCH_FILE, FX_PERMISSION_DENIED, FX_FAILURE = 0, 1, 2, 3, 4
FX_OP_UNSUPPORTED = 8

FXF_READ, FXF_WRITE, FXF_APPEND, FXF_CREAT, FXF_TRUNC, FXF_EXCL = 1, 2, 4, 8, 0x10, 0x20

ATTR_SIZE, ATTR_UIDGID, ATTR_PERMISSIONS, ATTR_ACMODTIME = 1, 2, 4, 8

MAX_DATA = 1 << 15  # pkg/sftp's maxTxPacket: READ answers at most 32 KiB
STATVFS = "statvfs@openssh.com"

# The key prefix of "the district" inside the bucket: --root holds the keys under it.
DISTRICT = "district"

# Go error texts the real server puts in its STATUS messages.
E_PERM = "operation not permitted"
E_BADF = "bad file descriptor"
E_NOSYS = "function not implemented"
E_EXIST = "file exists"
E_INVAL = "invalid argument"
E_NOTEXIST = "file does not exist"
E_NOSUCHKEY = "NoSuchKey: The specified key does not exist.\n\tstatus code: 404"


class Usage(Exception):
    pass


class Unreadable(Exception):
    pass


class StorageError(Exception):
    """A failure the driver returns; `code` is the SFTP status it becomes."""

    def __init__(self, code, text):
        super().__init__(text)
        self.code = code
        self.text = text


class NotExist(StorageError):
    def __init__(self):
        super().__init__(FX_NO_SUCH_FILE, E_NOTEXIST)


# --- logging ------------------------------------------------------------------------


class RequestLog:
    """--log FILE: one line per SFTP request (and per SSH channel event), flushed."""

    def __init__(self, path):
        self.start = time.monotonic()
        self.lock = threading.Lock()
        self.file = open(path, "a", encoding="utf-8", errors="backslashreplace") if path else None

    def line(self, conn, chan, text):
        if self.file is None:
            return
        stamp = time.monotonic() - self.start
        with self.lock:
            self.file.write("%.3f conn=%s chan=%s %s\n" % (stamp, conn, chan, text))
            self.file.flush()


def quoted(path):
    return json.dumps(path, ensure_ascii=False)


# --- paths: Clever's TranslatePath ----------------------------------------------------


def go_clean(path):
    """Go's path/filepath.Clean for slash paths."""
    if path == "":
        return "."
    rooted = path.startswith("/")
    parts = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            elif not rooted:
                parts.append("..")
            continue
        parts.append(part)
    out = "/".join(parts)
    if rooted:
        out = "/" + out
    return out or "."


def translate_path(prefix, home, path):
    """Clever's TranslatePath: the S3 key of an SFTP path (home is the empty string)."""
    if path == "":
        return go_clean("/" + prefix + "/" + home)  # sic: keeps its leading slash
    if path.startswith("/"):
        clean = go_clean(prefix + path)
        if not clean.startswith(prefix):
            clean = prefix
    else:
        clean = go_clean("/" + prefix + "/" + home + go_clean("/" + path))
    if path.endswith("/"):
        clean += "/"
    return clean.lstrip("/")


# --- the bucket -------------------------------------------------------------------------


class Bucket:
    """S3 played by a folder: the object `district/a/b.csv` is the file ROOT/a/b.csv, and
    every folder under ROOT (ROOT too) is a folder-marker object `district/a/`.
    Objects only ever appear whole: they are written beside ROOT (staging) and moved
    into place with os.replace."""

    def __init__(self, root, quota, read_only, staging=None):
        self.root = os.path.realpath(root)
        self.quota = quota
        self.read_only = read_only
        self.lock = threading.RLock()
        # --staging: the server's own disk, where Clever's keeps each upload until CLOSE
        # (a full one fails the WRITE); --quota is the bucket's, failing the CLOSE.
        self.staging = tempfile.mkdtemp(prefix="clever-sftp-staging-", dir=staging) if staging else self._make_staging()

    def _make_staging(self):
        # Beside the root, so that os.replace stays on one file system; else the system's
        # temporary folder, and publishing then copies into the target folder first.
        parent = os.path.dirname(self.root)
        try:
            path = tempfile.mkdtemp(prefix=".clever-sftp-staging-", dir=parent)
            if os.stat(path).st_dev == os.stat(self.root).st_dev:
                return path
            os.rmdir(path)
        except OSError:
            pass
        return tempfile.mkdtemp(prefix="clever-sftp-staging-")

    def cleanup(self):
        shutil.rmtree(self.staging, ignore_errors=True)

    def temporary(self):
        fd, path = tempfile.mkstemp(prefix="sftp", dir=self.staging)
        return fd, path

    # keys <-> files

    def local(self, key):
        """The local path of a key (without its trailing slash), or None outside the district."""
        if key == DISTRICT or key == DISTRICT + "/":
            return self.root
        if not key.startswith(DISTRICT + "/"):
            return None
        rel = key[len(DISTRICT) + 1:].rstrip("/")
        return os.path.join(self.root, *rel.split("/"))

    def keys(self):
        """Every key, sorted as S3 lists them (by UTF-8 bytes, which is code point order)."""
        found = [DISTRICT + "/"]
        for dirpath, dirnames, filenames in os.walk(self.root):
            rel = os.path.relpath(dirpath, self.root)
            base = DISTRICT + "/" if rel == "." else DISTRICT + "/" + rel.replace(os.sep, "/") + "/"
            for name in dirnames:
                found.append(base + name + "/")
            for name in filenames:
                if os.path.isfile(os.path.join(dirpath, name)):
                    found.append(base + name)
        found.sort()
        return found

    def first_with_prefix(self, prefix):
        """ListObjectsV2(Prefix, MaxKeys 1): (key, size, mtime) or None."""
        with self.lock:
            keys = self.keys()
            i = bisect.bisect_left(keys, prefix)
            while i < len(keys) and keys[i].startswith(prefix):
                key = keys[i]
                try:
                    st = os.stat(self.local(key))
                except OSError:  # removed behind our back (a test writing ROOT itself)
                    i += 1
                    continue
                size = 0 if key.endswith("/") else st.st_size
                return key, size, int(st.st_mtime)
            return None

    def object_file(self, key):
        """The file holding object `key`, or None (NoSuchKey)."""
        if key.endswith("/"):
            return None
        path = self.local(key)
        if path is None or path == self.root or not os.path.isfile(path):
            return None
        return path

    def used(self):
        total = 0
        for dirpath, _, filenames in os.walk(self.root):
            for name in filenames:
                try:
                    total += os.lstat(os.path.join(dirpath, name)).st_size
                except OSError:
                    pass
        return total

    def _target(self, key):
        path = self.local(key)
        if path is None:
            raise StorageError(FX_FAILURE, "AccessDenied: key %s is outside the district" % key)
        if key.endswith("/") or path == self.root:
            raise StorageError(FX_FAILURE, "the emulation cannot keep data in folder marker %s" % key)
        if os.path.isdir(path):
            raise StorageError(FX_FAILURE, "the emulation cannot hold object %s beside folder %s/" % (key, key))
        parent = os.path.dirname(path)
        probe = parent
        while probe != self.root and not os.path.isdir(probe):
            if os.path.exists(probe):
                raise StorageError(FX_FAILURE, "the emulation cannot hold folder %s/ beside an object" % probe)
            probe = os.path.dirname(probe)
        return path

    def _check_quota(self, path, size):
        if self.quota is None:
            return
        old = os.path.getsize(path) if os.path.isfile(path) else 0
        used = self.used()
        if used - old + size > self.quota:
            raise StorageError(
                FX_FAILURE,
                "QuotaExceeded: %d bytes would exceed the bucket's limit of %d (%d used)"
                % (size, self.quota, used),
            )

    def _publish(self, temp, path):
        os.chmod(temp, 0o644)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        try:
            os.replace(temp, path)
        except OSError as error:
            if error.errno != 18:  # EXDEV: staging on another file system
                raise
            fd, near = tempfile.mkstemp(prefix=".clever-sftp-publish-", dir=os.path.dirname(path))
            os.close(fd)
            shutil.copyfile(temp, near)
            os.chmod(near, 0o644)
            os.replace(near, path)
            os.remove(temp)

    def put(self, key, temp):
        """PutObject from a temporary file (consumed either way)."""
        try:
            with self.lock:
                path = self._target(key)
                self._check_quota(path, os.path.getsize(temp))
                self._publish(temp, path)
        finally:
            if os.path.exists(temp):
                os.remove(temp)

    def get_into(self, key, fd):
        """GetObject into an open temporary."""
        with self.lock:
            path = self.object_file(key)
            if path is None:
                raise StorageError(FX_FAILURE, E_NOSUCHKEY)
            with open(path, "rb") as source:
                dest = os.fdopen(os.dup(fd), "wb")
                with dest:
                    shutil.copyfileobj(source, dest)

    def copy(self, source_key, dest_key):
        """CopyObject. (A copy onto itself is allowed: Clever's request names an encryption.)"""
        with self.lock:
            if source_key.endswith("/"):
                source = self.local(source_key)
                if source is None or not os.path.isdir(source):
                    raise StorageError(FX_FAILURE, E_NOSUCHKEY)
                dest = self.local(dest_key)
                if dest is None or os.path.isfile(dest):
                    raise StorageError(FX_FAILURE, "the emulation cannot make folder marker %s" % dest_key)
                os.makedirs(dest, exist_ok=True)
                return
            source = self.object_file(source_key)
            if source is None:
                raise StorageError(FX_FAILURE, E_NOSUCHKEY)
            path = self._target(dest_key)
            fd, temp = self.temporary()
            os.close(fd)
            try:
                shutil.copyfile(source, temp)
                self._check_quota(path, os.path.getsize(temp))
                self._publish(temp, path)
            finally:
                if os.path.exists(temp):
                    os.remove(temp)

    def delete(self, key):
        """DeleteObject: succeeds whether or not the key exists."""
        with self.lock:
            path = self.local(key)
            if path is None:
                return
            if key.endswith("/"):
                if path != self.root:
                    try:
                        os.rmdir(path)  # a marker; a folder with objects in it stays
                    except OSError:
                        pass
                return
            if os.path.isfile(path):
                os.remove(path)

    def make_marker(self, key):
        """PutObject of an empty `key/`."""
        with self.lock:
            path = self.local(key)
            if path is None:
                raise StorageError(FX_FAILURE, "AccessDenied: key %s is outside the district" % key)
            probe = path
            while probe != self.root:
                if os.path.exists(probe) and not os.path.isdir(probe):
                    raise StorageError(FX_FAILURE, "the emulation cannot hold folder %s beside an object" % key)
                probe = os.path.dirname(probe)
            os.makedirs(path, exist_ok=True)

    def list_dir(self, prefix):
        """ListObjectsV2(Prefix, Delimiter '/'): objects first, then common prefixes."""
        files, folders = [], []
        with self.lock:
            if not prefix.endswith("/"):
                return files, folders
            path = self.local(prefix)
            if path is None or not os.path.isdir(path):
                return files, folders
            for name in sorted(os.listdir(path)):
                full = os.path.join(path, name)
                try:
                    st = os.stat(full)
                except OSError:
                    continue
                if statmod.S_ISDIR(st.st_mode):
                    folders.append(name)
                elif statmod.S_ISREG(st.st_mode):
                    files.append((name, st.st_size, int(st.st_mtime)))
        return files, folders

    def statvfs(self):
        if self.quota is not None:
            # Fragments of one byte: blocks and free blocks are the quota and what is left.
            bsize, frsize = 4096, 1
            blocks, bfree = self.quota, max(self.quota - self.used(), 0)
            files, ffree = 1 << 20, 1 << 20
        else:
            st = os.statvfs(self.root)
            bsize, frsize = st.f_bsize, st.f_frsize
            blocks, bfree = st.f_blocks, st.f_bavail
            files, ffree = st.f_files, st.f_favail
        flag = 1 if self.read_only else 0  # SSH_FXE_STATVFS_ST_RDONLY
        return [bsize, frsize, blocks, bfree, bfree, files, ffree, ffree, 0, flag, 255]


# --- the driver: Clever's S3Driver over the bucket ---------------------------------------


class Entry:
    """An os.FileInfo of the real server: mode 0777 regular, ModeDir folders."""

    def __init__(self, name, size, mtime, is_dir=False, perm=0o777):
        self.name = name
        self.size = size
        self.mtime = mtime
        self.is_dir = is_dir
        self.mode = statmod.S_IFDIR if is_dir else statmod.S_IFREG | perm

    def pack(self, msg):
        # fileStatFromInfo: size, permissions, times; no uid/gid (Sys() is nil).
        msg.add_int(ATTR_SIZE | ATTR_PERMISSIONS | ATTR_ACMODTIME)
        msg.add_int64(self.size)
        msg.add_int(self.mode)
        msg.add_int(self.mtime & 0xFFFFFFFF)
        msg.add_int(self.mtime & 0xFFFFFFFF)

    def long_name(self):
        # generateLongName: OpenSSH's `ls -l` layout.
        when = time.gmtime(self.mtime)
        day = "%s %2d" % (time.strftime("%b", when), when.tm_mday)
        if when.tm_year != time.gmtime().tm_year:
            stamp = "%s  %d" % (day, when.tm_year)
        else:
            stamp = "%s %02d:%02d" % (day, when.tm_hour, when.tm_min)
        flags = "drw-------" if self.is_dir else "-rw-------"
        return "%-10s %3d %-8s %-8s %8d %-12s %s" % (flags, 1, "owner", "owner", self.size, stamp, self.name)


class S3Driver(paramiko.SFTPServerInterface):
    """One SFTP session's view of the bucket (TranslatePath with the district prefix)."""

    def __init__(self, server, bucket):
        super().__init__(server)
        self.bucket = bucket

    def key(self, path):
        return translate_path(DISTRICT, "", path)

    def stat_entry(self, path):
        key = self.key(path)
        found = self.bucket.first_with_prefix(key)
        if found is None:
            raise NotExist()
        first, size, mtime = found
        return Entry(key.rstrip("/"), size, mtime, is_dir=first.endswith("/"))

    def list_dir(self, path):
        prefix = self.key(path)
        if not prefix.endswith("/"):
            prefix += "/"
        files, folders = self.bucket.list_dir(prefix)
        out = [Entry(name, size, mtime, perm=0) for name, size, mtime in files]
        out += [Entry(name, 4096, 1, is_dir=True) for name in folders]
        return out

    def delete_dir(self, path):
        key = self.key(path)
        self.bucket.delete(key if key.endswith("/") else key + "/")

    def delete_file(self, path):
        self.bucket.delete(self.key(path))

    def rename(self, old, new):
        old_key, new_key = self.key(old), self.key(new)
        self.bucket.copy(old_key, new_key)
        self.bucket.delete(old_key)

    def make_dir(self, path):
        key = self.key(path)
        self.bucket.make_marker(key if key.endswith("/") else key + "/")

    def get_file(self, path, fd):
        self.bucket.get_into(self.key(path), fd)

    def put_file(self, path, temp):
        self.bucket.put(self.key(path), temp)

    def real_path(self, path):
        return "/" + translate_path("/", "", path)


class TempHandle(paramiko.SFTPHandle):
    """An open file of the real server: a local temporary, published at CLOSE."""

    def __init__(self, path, fd, temp, is_dir=False):
        super().__init__()
        self.path = path
        self.fd = fd
        self.temp = temp
        self.is_dir = is_dir
        self.position = 0  # pkg/sftp never advances it: FSTAT of unpublished data says 0

    def discard(self):
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
        if self.temp is not None and os.path.exists(self.temp):
            os.remove(self.temp)


# --- the SFTP subsystem ---------------------------------------------------------------


class CloseChannel(Exception):
    """The real server's worker returned an error: it closes the channel, answering nothing."""


class CleverSFTPServer(paramiko.SFTPServer):
    """pkg/sftp's Server as Clever forked it: one worker, requests answered in order."""

    def __init__(self, channel, name, server, sftp_si, bucket, app):
        super().__init__(channel, name, server, sftp_si, bucket)
        self.channel = channel
        self.app = app
        self.conn_no = getattr(channel.get_transport(), "conn_no", "?")
        self.handles = {}
        self.handle_count = 0

    # logging

    def note(self, text):
        self.app.log.line(self.conn_no, self.channel.get_id(), text)

    # the loop

    def start_subsystem(self, name, transport, channel):
        self.sock = channel
        self.note("sftp subsystem started")
        while True:
            try:
                t, data = self._read_packet()
            except EOFError:
                self.note("sftp channel EOF")
                return
            except Exception as error:  # garbage framing: pkg/sftp gives up on the channel
                self.note("sftp channel unreadable (%s): closing it" % error)
                return
            try:
                self.dispatch(t, data)
            except CloseChannel as why:
                self.note("%s: closing the channel without an answer" % why)
                return
            except (EOFError, OSError, paramiko.SSHException) as error:
                self.note("sftp channel lost (%s)" % error)
                return

    def finish_subsystem(self):
        for handle in self.handles.values():
            if not handle.is_dir:
                handle.discard()  # unpublished: pkg/sftp only closes the temporary
        self.handles = {}
        try:
            self.channel.close()
        finally:
            transport = self.channel.get_transport()
            if hasattr(transport, "release_channel"):
                transport.release_channel(self.channel.get_id())
        self.note("sftp channel closed")

    # answers

    def send_status(self, rid, code, text=""):
        msg = Message()
        msg.add_int(rid)
        msg.add_int(code)
        msg.add_string(text)
        msg.add_string("")
        self._send_packet(FXP_STATUS, msg)
        return "STATUS %d%s" % (code, (" " + quoted(text)) if text else "")

    def send_error(self, rid, error):
        return self.send_status(rid, error.code, error.text)

    def send_handle(self, rid, handle):
        self.handle_count += 1
        name = str(self.handle_count)
        self.handles[name] = handle
        msg = Message()
        msg.add_int(rid)
        msg.add_string(name)
        self._send_packet(FXP_HANDLE, msg)
        return "HANDLE %s" % name

    def send_attrs(self, rid, entry):
        msg = Message()
        msg.add_int(rid)
        entry.pack(msg)
        self._send_packet(FXP_ATTRS, msg)
        return "ATTRS size=%d %s" % (entry.size, "dir" if entry.is_dir else "file")

    # requests

    def dispatch(self, t, data):
        msg = Message(data)
        if t == FXP_INIT:
            version = msg.get_int()
            reply = Message()
            reply.add_int(3)  # sftpProtocolVersion, and no extension pairs at all
            self._send_packet(FXP_VERSION, reply)
            self.note("INIT version=%d -> VERSION 3, no extensions" % version)
            return
        if t not in OP_NAMES:
            raise CloseChannel("unhandled packet type %d" % t)
        rid = msg.get_int()
        op = OP_NAMES[t]
        if t == FXP_EXTENDED:
            self.extended(rid, msg)
            return
        args, writes, handler = self.parse(t, msg)
        if writes and self.app.read_only:
            result = self.send_status(rid, FX_PERMISSION_DENIED, E_PERM)
        else:
            try:
                result = handler(rid)
            except StorageError as error:
                result = self.send_error(rid, error)
            except (OSError, ValueError) as error:
                result = self.send_status(rid, FX_FAILURE, str(error))
        self.note("%s %s -> %s" % (op, args, result))

    def parse(self, t, msg):
        """(text for the log, whether --read-only refuses it, handler)."""
        def text():
            return msg.get_string().decode("utf-8", "surrogateescape")

        if t == FXP_OPEN:
            path, pflags = text(), msg.get_int()
            return "%s flags=0x%x" % (quoted(path), pflags), bool(pflags & FXF_WRITE), \
                lambda rid: self.do_open(rid, path, pflags)
        if t == FXP_CLOSE:
            handle = text()
            return "handle=%s" % handle, False, lambda rid: self.do_close(rid, handle)
        if t == FXP_READ:
            handle, offset, length = text(), msg.get_int64(), msg.get_int()
            return "handle=%s offset=%d length=%d" % (handle, offset, length), False, \
                lambda rid: self.do_read(rid, handle, offset, length)
        if t == FXP_WRITE:
            handle, offset, data = text(), msg.get_int64(), msg.get_binary()
            return "handle=%s offset=%d length=%d" % (handle, offset, len(data)), True, \
                lambda rid: self.do_write(rid, handle, offset, data)
        if t in (FXP_STAT, FXP_LSTAT):
            path = text()
            return quoted(path), False, lambda rid: self.do_stat(rid, path)
        if t == FXP_FSTAT:
            handle = text()
            return "handle=%s" % handle, False, lambda rid: self.do_fstat(rid, handle)
        if t == FXP_SETSTAT:
            path, flags = text(), msg.get_int()
            return "%s attrflags=0x%x" % (quoted(path), flags), True, \
                lambda rid: self.do_setstat(rid, None, flags)
        if t == FXP_FSETSTAT:
            handle, flags = text(), msg.get_int()
            return "handle=%s attrflags=0x%x" % (handle, flags), True, \
                lambda rid: self.do_setstat(rid, handle, flags)
        if t == FXP_OPENDIR:
            path = text()
            return quoted(path), False, lambda rid: self.send_handle(rid, TempHandle(path, None, None, True))
        if t == FXP_READDIR:
            handle = text()
            return "handle=%s" % handle, False, lambda rid: self.do_readdir(rid, handle)
        if t == FXP_REMOVE:
            path = text()
            return quoted(path), True, lambda rid: self.ok(rid, self.server.delete_file, path)
        if t == FXP_MKDIR:
            path = text()
            return quoted(path), True, lambda rid: self.ok(rid, self.server.make_dir, path)
        if t == FXP_RMDIR:
            path = text()
            return quoted(path), True, lambda rid: self.ok(rid, self.server.delete_dir, path)
        if t == FXP_RENAME:
            old, new = text(), text()
            return "%s %s" % (quoted(old), quoted(new)), True, \
                lambda rid: self.ok(rid, self.server.rename, old, new)
        if t == FXP_REALPATH:
            path = text()
            return quoted(path), False, lambda rid: self.do_realpath(rid, path)
        if t == FXP_READLINK:
            path = text()
            return quoted(path), False, lambda rid: self.send_status(rid, FX_FAILURE, "Not supported")
        if t == FXP_SYMLINK:
            target, path = text(), text()
            return "%s %s" % (quoted(target), quoted(path)), True, \
                lambda rid: self.send_status(rid, FX_FAILURE, "Not supported")
        raise CloseChannel("unhandled packet type %d" % t)

    def ok(self, rid, call, *args):
        call(*args)
        return self.send_status(rid, FX_OK)

    def file_handle(self, name):
        handle = self.handles.get(name)
        if handle is None or handle.is_dir:
            raise StorageError(FX_FAILURE, E_BADF)
        return handle

    def do_open(self, rid, path, pflags):
        if not pflags & (FXF_READ | FXF_WRITE):
            return self.send_status(rid, FX_FAILURE, E_INVAL)
        fd, temp = self.app.bucket.temporary()
        try:
            if pflags & FXF_CREAT and pflags & FXF_EXCL:
                try:
                    self.server.stat_entry(path)  # a prefix match, like every Stat
                    raise StorageError(FX_FAILURE, E_EXIST)
                except NotExist:
                    pass
            if not (pflags & FXF_CREAT and pflags & FXF_TRUNC):
                try:
                    self.server.get_file(path, fd)  # the object is downloaded first
                except StorageError:
                    if not pflags & FXF_CREAT:
                        raise
        except BaseException:
            os.close(fd)
            os.remove(temp)
            raise
        return self.send_handle(rid, TempHandle(path, fd, temp))

    def do_close(self, rid, name):
        handle = self.handles.pop(name, None)
        if handle is None:
            return self.send_status(rid, FX_FAILURE, E_BADF)
        if handle.is_dir:
            return self.send_status(rid, FX_OK)
        os.close(handle.fd)
        handle.fd = None
        try:
            self.server.put_file(handle.path, handle.temp)  # the one PutObject
        finally:
            handle.discard()
        return self.send_status(rid, FX_OK) + " (published)"

    def do_read(self, rid, name, offset, length):
        handle = self.file_handle(name)
        data = os.pread(handle.fd, min(length, MAX_DATA), offset)
        if not data:
            return self.send_status(rid, FX_EOF, "EOF")
        msg = Message()
        msg.add_int(rid)
        msg.add_string(data)
        self._send_packet(FXP_DATA, msg)
        return "DATA %d bytes" % len(data)

    def do_write(self, rid, name, offset, data):
        handle = self.file_handle(name)
        view = memoryview(data)
        while view:
            written = os.pwrite(handle.fd, view, offset)
            view, offset = view[written:], offset + written
        return self.send_status(rid, FX_OK)

    def unpublished(self, path):
        """An open file of that SFTP path, for a Stat that found nothing."""
        for handle in self.handles.values():
            if handle.path == path and not handle.is_dir:
                return handle
        return None

    def do_stat(self, rid, path):
        try:
            entry = self.server.stat_entry(path)
        except NotExist:
            handle = self.unpublished(path)
            if handle is None:
                raise
            entry = Entry(path, handle.position, int(time.time()))
        return self.send_attrs(rid, entry)

    def do_fstat(self, rid, name):
        handle = self.file_handle(name)
        try:
            entry = self.server.stat_entry(handle.path)
        except NotExist:
            entry = Entry(handle.path, handle.position, int(time.time()))
        return self.send_attrs(rid, entry)

    def do_setstat(self, rid, name, flags):
        if name is not None:
            self.file_handle(name)
        if flags & ATTR_SIZE:
            return self.send_status(rid, FX_OP_UNSUPPORTED, E_NOSYS)
        return self.send_status(rid, FX_OK)  # everything else silently ignored

    def do_readdir(self, rid, name):
        handle = self.handles.get(name)
        if handle is None or not handle.is_dir:
            return self.send_status(rid, FX_FAILURE, E_BADF)
        if handle.position > 0:
            return self.send_status(rid, FX_EOF, "EOF")
        entries = self.server.list_dir(handle.path)
        entries += [Entry(".", 4096, 1, is_dir=True), Entry("..", 4096, 1, is_dir=True)]
        handle.position = len(entries)
        msg = Message()
        msg.add_int(rid)
        msg.add_int(len(entries))
        for entry in entries:
            msg.add_string(entry.name.encode("utf-8", "surrogateescape"))
            msg.add_string(entry.long_name().encode("utf-8", "surrogateescape"))
            entry.pack(msg)
        self._send_packet(FXP_NAME, msg)
        return "NAME %d entries" % len(entries)

    def do_realpath(self, rid, path):
        real = self.server.real_path(path)
        msg = Message()
        msg.add_int(rid)
        msg.add_int(1)
        msg.add_string(real.encode("utf-8", "surrogateescape"))
        msg.add_string(real.encode("utf-8", "surrogateescape"))
        msg.add_int(0)  # emptyFileStat: no attributes
        self._send_packet(FXP_NAME, msg)
        return "NAME %s" % quoted(real)

    def extended(self, rid, msg):
        request = msg.get_string().decode("utf-8", "replace")
        if request != STATVFS:
            self.note("EXTENDED %s -> (none)" % quoted(request))
            raise CloseChannel("unknown extended request %s" % quoted(request))
        path = msg.get_string().decode("utf-8", "surrogateescape")
        if not self.app.statvfs:
            result = self.send_status(rid, FX_OP_UNSUPPORTED, "statvfs is off (--statvfs turns it on)")
        else:
            reply = Message()
            reply.add_int(rid)
            for value in self.app.bucket.statvfs():
                reply.add_int64(value)
            self._send_packet(FXP_EXTENDED_REPLY, reply)
            result = "EXTENDED_REPLY"
        self.note("EXTENDED %s %s -> %s" % (quoted(request), quoted(path), result))


# --- SSH: one channel at a time per connection ------------------------------------------


class OneChannelTransport(paramiko.Transport):
    """golang.org/x/crypto/ssh as Clever uses it: the channel opens of a connection are
    accepted one after the other, the next only once the previous channel's SFTP server
    has returned. A CHANNEL_OPEN that arrives meanwhile is queued, unanswered (neither
    confirmed nor refused); the transport itself keeps reading, so the open channel
    goes on working."""

    _handler_table = dict(paramiko.Transport._handler_table)

    def __init__(self, sock, app, conn_no):
        super().__init__(sock)
        self.app = app
        self.conn_no = conn_no
        self.opens = collections.deque()
        self.opens_cv = threading.Condition()
        self.serving = None  # our id of the channel being served
        self.dispatcher = None  # started with the first CHANNEL_OPEN (the transport is active then)

    def _parse_channel_open_in_order(self, m):
        kind = m.get_text()
        chanid, window, max_packet = m.get_int(), m.get_int(), m.get_int()
        with self.opens_cv:
            busy = self.serving
            self.opens.append((kind, chanid, window, max_packet))
            self.opens_cv.notify_all()
            if self.dispatcher is None:
                self.dispatcher = threading.Thread(target=self._accept_in_order, daemon=True)
                self.dispatcher.start()
        if busy is not None:
            self.app.log.line(self.conn_no, "-", "ssh CHANNEL_OPEN %s (client channel %d) held: channel %d is "
                              "still being served" % (kind, chanid, busy))

    _handler_table[MSG_CHANNEL_OPEN] = _parse_channel_open_in_order

    def _unlink_channel(self, chanid):
        super()._unlink_channel(chanid)
        self.release_channel(chanid)

    def release_channel(self, chanid):
        with self.opens_cv:
            if self.serving == chanid:
                self.serving = None
                self.opens_cv.notify_all()

    def _accept_in_order(self):
        while True:
            with self.opens_cv:
                while self.serving is not None or not self.opens:
                    if not self.active:
                        return
                    self.opens_cv.wait(0.5)
                kind, chanid, window, max_packet = self.opens.popleft()
                if kind == "session":
                    with self.lock:
                        mine = self._next_channel()
                    self.serving = mine
            if not self.active:
                return
            if kind != "session":
                m = Message()
                m.add_byte(cMSG_CHANNEL_OPEN_FAILURE)
                m.add_int(chanid)
                m.add_int(OPEN_FAILED_UNKNOWN_CHANNEL_TYPE)
                m.add_string("unknown channel type")
                m.add_string("")
                self._send_user_message(m)
                self.app.log.line(self.conn_no, "-", "ssh CHANNEL_OPEN %s refused: unknown channel type" % kind)
                continue
            chan = paramiko.Channel(mine)
            with self.lock:
                self._channels.put(mine, chan)
                self.channels_seen[mine] = True
                chan._set_transport(self)
                chan._set_window(self.default_window_size, self.default_max_packet_size)
                chan._set_remote_channel(chanid, window, max_packet)
            m = Message()
            m.add_byte(cMSG_CHANNEL_OPEN_SUCCESS)
            m.add_int(chanid)
            m.add_int(mine)
            m.add_int(self.default_window_size)
            m.add_int(self.default_max_packet_size)
            self._send_user_message(m)
            self.app.log.line(self.conn_no, mine, "ssh CHANNEL_OPEN session accepted (client channel %d)" % chanid)


class CleverSSH(paramiko.ServerInterface):
    def __init__(self, app, conn_no):
        self.app = app
        self.conn_no = conn_no
        self.started = set()

    def get_allowed_auths(self, username):
        return "password,publickey"

    def check_auth_password(self, username, password):
        ok = username == self.app.user and hmac.compare_digest(
            password.encode("utf-8", "surrogateescape"), self.app.password
        )
        self.app.log.line(self.conn_no, "-", "ssh auth password user=%s -> %s" % (quoted(username), "ok" if ok else "refused"))
        return paramiko.AUTH_SUCCESSFUL if ok else paramiko.AUTH_FAILED

    def check_auth_publickey(self, username, key):
        ok = username == self.app.user and key.asbytes() in self.app.authorized
        self.app.log.line(self.conn_no, "-", "ssh auth publickey user=%s %s -> %s"
                          % (quoted(username), key.get_name(), "ok" if ok else "refused"))
        return paramiko.AUTH_SUCCESSFUL if ok else paramiko.AUTH_FAILED

    def check_channel_subsystem_request(self, channel, name):
        # x/crypto/ssh: only "sftp" is answered yes; the SFTP server runs once per channel.
        if name != "sftp":
            return False
        # --refuse-sftp-after N: the channel opens, but SFTP on it is refused after the
        # first N channels (a server out of sessions, or one that limits them).
        if self.app.refuse_sftp_after is not None:
            self.app.sftp_channels = getattr(self.app, "sftp_channels", 0) + 1
            if self.app.sftp_channels > self.app.refuse_sftp_after:
                self.app.log.line(self.conn_no, channel.get_id(), "ssh subsystem sftp refused (--refuse-sftp-after)")
                return False
        if channel.get_id() not in self.started:
            self.started.add(channel.get_id())
            CleverSFTPServer(channel, name, self, S3Driver, self.app.bucket, self.app).start()
        return True


# --- the program --------------------------------------------------------------------------


class App:
    pass


class Parser(argparse.ArgumentParser):
    def error(self, message):
        raise Usage(message)


def parse_arguments(argv):
    parser = Parser(prog="clever-sftp.py", add_help=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--root", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password-file", required=True)
    parser.add_argument("--host-key", required=True)
    parser.add_argument("--authorized-keys")
    parser.add_argument("--quota", type=int)
    parser.add_argument("--read-only", action="store_true")
    parser.add_argument("--statvfs", action="store_true")
    parser.add_argument("--log")
    parser.add_argument("--refuse-sftp-after", type=int)
    parser.add_argument("--staging")
    args = parser.parse_args(argv)
    if not 0 <= args.port <= 65535:
        raise Usage("--port must be 0..65535")
    if args.quota is not None and args.quota < 0:
        raise Usage("--quota must be a number of bytes, 0 or more")
    if args.user == "":
        raise Usage("--user must not be empty")
    return args


def load_host_key(path):
    errors = []
    for kind in (paramiko.Ed25519Key, paramiko.RSAKey, paramiko.ECDSAKey):
        try:
            return kind.from_private_key_file(path)
        except (paramiko.SSHException, ValueError, TypeError) as error:
            errors.append("%s: %s" % (kind.__name__, error))
        except OSError as error:
            raise Unreadable("--host-key %s: %s" % (path, error.strerror))
    raise Unreadable("--host-key %s: not an unencrypted ed25519, RSA or ECDSA private key (%s)"
                     % (path, "; ".join(errors)))


def load_authorized(path):
    blobs = set()
    try:
        with open(path, "r", encoding="utf-8") as f:
            lines = f.read().splitlines()
    except OSError as error:
        raise Unreadable("--authorized-keys %s: %s" % (path, error.strerror))
    for line in lines:
        fields = line.split()
        for i, field in enumerate(fields[:-1]):
            if field.startswith(("ssh-", "ecdsa-", "sk-")):
                try:
                    blobs.add(base64.b64decode(fields[i + 1], validate=True))
                except ValueError:
                    pass
                break
    return blobs


def setup(argv):
    args = parse_arguments(argv)
    app = App()
    root = args.root
    if not os.path.isdir(root):
        raise Unreadable("--root %s: not a folder" % root)
    try:
        with open(args.password_file, "rb") as f:
            app.password = f.read().split(b"\n", 1)[0].rstrip(b"\r")
    except OSError as error:
        raise Unreadable("--password-file %s: %s" % (args.password_file, error.strerror))
    app.host_key = load_host_key(args.host_key)
    app.authorized = load_authorized(args.authorized_keys) if args.authorized_keys else set()
    app.user = args.user
    app.read_only = args.read_only
    app.statvfs = args.statvfs
    app.refuse_sftp_after = args.refuse_sftp_after
    try:
        app.log = RequestLog(args.log)
    except OSError as error:
        raise Unreadable("--log %s: %s" % (args.log, error.strerror))
    app.bucket = Bucket(root, args.quota, args.read_only, args.staging)
    app.port = args.port
    return app


class Stop(Exception):
    pass


def serve_connection(app, sock, conn_no):
    try:
        transport = OneChannelTransport(sock, app, conn_no)
        transport.local_version = "SSH-2.0-Go"
        transport.add_server_key(app.host_key)
        app.log.line(conn_no, "-", "ssh connection from %s:%d" % sock.getpeername())
        transport.start_server(server=CleverSSH(app, conn_no))
    except Exception as error:  # a client that went away during the handshake
        app.log.line(conn_no, "-", "ssh handshake failed: %s" % error)
        try:
            sock.close()
        except OSError:
            pass


def main(argv):
    def stop(signum, frame):
        raise Stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        app = setup(argv)
    except Usage as error:
        sys.stderr.write("clever-sftp.py: %s\n" % error)
        sys.stderr.write("usage: python3 clever-sftp.py --port 0 --root DIR --user NAME --password-file FILE "
                         "--host-key FILE [--authorized-keys FILE] [--quota BYTES] [--read-only] "
                         "[--statvfs] [--log FILE] [--refuse-sftp-after N]\n")
        return 64
    except Unreadable as error:
        sys.stderr.write("clever-sftp.py: %s\n" % error)
        return 66
    except Stop:
        return 0

    try:
        # paramiko's own complaints (a client that hangs up mid-handshake...) go to the log.
        logger = logging.getLogger("paramiko")
        logger.propagate = False
        logger.setLevel(logging.WARNING)
        if app.log.file is not None:
            handler = logging.StreamHandler(app.log.file)
            handler.setFormatter(logging.Formatter("paramiko %(levelname)s %(message)s"))
            logger.addHandler(handler)
        else:
            logger.addHandler(logging.NullHandler())

        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            listener.bind(("127.0.0.1", app.port))
            listener.listen(64)
        except OSError as error:
            sys.stderr.write("clever-sftp.py: cannot listen on 127.0.0.1:%d: %s\n" % (app.port, error.strerror))
            app.bucket.cleanup()
            return 71
        sys.stdout.write("port=%d\n" % listener.getsockname()[1])
        sys.stdout.flush()
        conn_no = 0
        while True:
            sock, _ = listener.accept()
            # Go's net package (Clever's server) turns Nagle off on every TCP connection;
            # with it on, each small answer after a burst waits for a delayed ACK (40 ms).
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            conn_no += 1
            threading.Thread(target=serve_connection, args=(app, sock, conn_no), daemon=True).start()
    except Stop:
        pass
    # Let a publish in progress finish (the lock is kept to the end, so no other starts),
    # then exit at once: the kernel closes the connections.
    app.bucket.lock.acquire()
    app.bucket.cleanup()
    app.log.line("-", "-", "stopped (SIGTERM)")
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
