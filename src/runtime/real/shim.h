// The per-task supervisor ("shim", as in containerd): one per task, in its
// own session, so the task outlives a kill -9 of the control plane. It
//   1. reads the ProcessSpec from --spec-fd (a memfd; see shim_protocol.h),
//   2. creates the task's cgroup and applies its limits (cgroup.h),
//   3. forks and execs the task in its own process group with exactly the
//      spec's environment, stdin /dev/null, stdout/stderr on pipes,
//   4. reports "started <pid>" (or why not) on --report-fd and closes it,
//   5. timestamps every output line into the log file(s) (log_format.h),
//      forwards SIGTERM/SIGINT/SIGHUP/SIGQUIT/SIGUSR1/SIGUSR2 to the task and
//      turns ShimKillSignal() into SIGKILL of the task's group and cgroup,
//   6. when the task exits: kills what is left of its process group, cgroup
//      and adopted orphans, drains output (at most 1 s), removes the cgroup,
//      writes exit.json atomically, and exits.
// Linking: the `drydock` binary exposes this as the hidden verb
// `drydock shim --spec-fd 3 --report-fd 4`; tests use drydock_test_shim.
#pragma once

namespace drydock::runtime {

// argv[0] is ignored (it may be the program or the verb); the flags follow.
// Returns 0 once exit.json is written, whatever the task did; 1 if the status
// could not be written; 2 on bad usage or an unreadable spec.
int RunShim(int argc, char** argv);

}  // namespace drydock::runtime
