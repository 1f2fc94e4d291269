package redistest

import (
	"os/exec"
	"syscall"
)

// dieWithParent has the kernel kill the server when the process that started it dies
// (a test binary killed by its timeout runs no cleanup), so no redis-server is left
// behind on a shared machine.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
