# shellcheck shell=dash
# TAP helpers shared by guest cases (busybox sh) and host cases (bash).
#
# Results are written unnumbered ("ok - NAME", "not ok - NAME", "# diag") to
# $IOVM_TAP_OUT (stdout when unset); the harness numbers them and adds the
# release, so a case never has to know how many results came before it.
# Every result also bumps the counter file $IOVM_TAP_COUNT, which is how the
# case runner tells a case that reported nothing from one that passed.
#
# tap_ok, tap_fail and tap_skip return 0 (reporting worked); the expect_*
# helpers return 1 on a mismatch so a case can stop early: expect_eq ... || return 0

_tap_put() {
  if [ -n "${IOVM_TAP_OUT:-}" ]; then
    printf '%s\n' "$@" >> "$IOVM_TAP_OUT"
  else
    printf '%s\n' "$@"
  fi
}

# A result line must stay one line whatever the caller passed in.
_tap_name() {
  printf '%s' "${IOVM_CASE_LABEL:+$IOVM_CASE_LABEL: }$*" | tr '\n#' ' _'
}

_tap_count() {
  [ -z "${IOVM_TAP_COUNT:-}" ] || printf x >> "$IOVM_TAP_COUNT"
}

# tap_diag TEXT...: each line of TEXT becomes a "# " line.
tap_diag() {
  _td=$(printf '%s\n' "$@" | sed -e '/^$/d' -e 's/^/# /')
  [ -z "$_td" ] || _tap_put "$_td"
}

tap_ok() {
  _tap_put "ok - $(_tap_name "$1")"
  _tap_count
}

# tap_fail NAME [DIAG...]
tap_fail() {
  _tf_name=$1
  shift
  _tap_put "not ok - $(_tap_name "$_tf_name")"
  [ $# -eq 0 ] || tap_diag "$@"
  _tap_count
}

# tap_skip NAME WHY
tap_skip() {
  _tap_put "ok - $(_tap_name "$1") # SKIP ${2:-no reason given}"
  _tap_count
}

# expect_eq NAME GOT WANT: string equality.
expect_eq() {
  if [ "$2" = "$3" ]; then
    tap_ok "$1"
    return 0
  fi
  tap_fail "$1" "got:  '$2'" "want: '$3'"
  return 1
}

# expect_num NAME GOT WANT: numeric equality, so 0x010000ED matches 0x10000ed.
# A GOT that is not a number (an error message) is a mismatch, not a crash.
expect_num() {
  case $2 in
    '' | *[!0-9a-fA-FxX]*) tap_fail "$1" "got:  '$2' (not a number)" "want: $3"; return 1 ;;
  esac
  if [ "$(($2))" -eq "$(($3))" ] 2>/dev/null; then
    tap_ok "$1"
    return 0
  fi
  tap_fail "$1" "got:  $2" "want: $3"
  return 1
}

# expect_run NAME CMD [ARG...]: passes when CMD exits 0; shows its output otherwise.
expect_run() {
  _er_name=$1
  shift
  _er_out=$("$@" 2>&1)
  _er_rc=$?
  if [ "$_er_rc" -eq 0 ]; then
    tap_ok "$_er_name"
    return 0
  fi
  tap_fail "$_er_name" "command: $*" "exit status: $_er_rc" "$(printf '%s\n' "$_er_out" | tail -n 20)"
  return 1
}

# tap_run_case LABEL FILE TIMEOUT LIB...: runs FILE in a child shell that
# sourced every LIB. A case that exits non-zero, times out or reports
# nothing gets a failing result of its own, so it can never pass by silence
# (unless IOVM_ALLOW_SILENT is set: cases that only prepare the host).
# The case runs under $IOVM_CASE_SHELL (sh when unset); its stdout and
# stderr go to $IOVM_TMP/<file>.log and are quoted on failure. Falling off
# the end of a case is success even if its last expect_* failed: that
# failure is already reported.
tap_run_case() {
  _rc_label=$1 _rc_file=$2 _rc_timeout=$3
  shift 3
  _rc_log=$IOVM_TMP/${_rc_file##*/}.log
  : > "$IOVM_TAP_COUNT"
  # The case leads a session of its own, so that a timeout ends everything it
  # started (clients, peers, pipelines), not just its shell: `timeout` would
  # signal only the one process it ran (busybox) or its own process group.
  # shellcheck disable=SC2016 # expanded by the child shell
  IOVM_CASE_LABEL=$_rc_label setsid "${IOVM_CASE_SHELL:-sh}" -c '
      f=$1; shift
      for lib; do . "$lib"; done
      . "$f"
      exit 0' case "$_rc_file" "$@" > "$_rc_log" 2>&1 &
  _rc_pid=$!
  _rc_flag=$IOVM_TMP/${_rc_file##*/}.killed
  rm -f "$_rc_flag"
  # The watchdog holds none of the caller's descriptors (a command
  # substitution reading fd 3 would wait for its sleep).
  setsid sh -c 'sleep "$1"; : > "$2"; kill -TERM -- "-$3"; sleep 2; kill -KILL -- "-$3"' \
    watchdog "$_rc_timeout" "$_rc_flag" "$_rc_pid" > /dev/null 2>&1 3>&- &
  _rc_dog=$!
  wait "$_rc_pid"
  _rc_status=$?
  # Its session, and the process itself: a case that ended at once may end
  # before the watchdog has made its session, and its sleep would then fire
  # the timeout on a case long gone.
  kill -KILL "$_rc_dog" 2> /dev/null
  kill -KILL -- "-$_rc_dog" 2> /dev/null
  wait "$_rc_dog" 2> /dev/null
  if [ -e "$_rc_flag" ]; then
    _rc_status=124
    # Whatever ignored the TERM and was not yet reached by the KILL.
    kill -KILL -- "-$_rc_pid" 2> /dev/null
  fi
  _rc_results=$(wc -c < "$IOVM_TAP_COUNT")
  _rc_results=$((_rc_results + 0))
  if [ "$_rc_status" -ne 0 ]; then
    _rc_why="exited with status $_rc_status"
    [ "$_rc_status" -ne 124 ] ||
      _rc_why="killed after ${_rc_timeout}s with everything it started"
    _tap_case_fail "$_rc_label" "case ran to completion" \
      "${_rc_file##*/} $_rc_why after $_rc_results result(s)" \
      "$(tail -n 20 "$_rc_log")"
  elif [ "$_rc_results" -eq 0 ] && [ -z "${IOVM_ALLOW_SILENT:-}" ]; then
    _tap_case_fail "$_rc_label" "case reported results" \
      "${_rc_file##*/} exited 0 without reporting any result" \
      "$(tail -n 20 "$_rc_log")"
  fi
}

# Like tap_fail under another label, without leaving IOVM_CASE_LABEL set
# (shells disagree on whether VAR=x before a function call persists).
_tap_case_fail() {
  _cf_saved=${IOVM_CASE_LABEL-}
  IOVM_CASE_LABEL=$1
  shift
  tap_fail "$@"
  IOVM_CASE_LABEL=$_cf_saved
}
