// Command pause is the sandbox process of every pod on the real-node tier (containerd's
// sandbox image): it holds the pod's namespaces until it is told to stop.
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	// Reap children re-parented to us, as PID 1 of a shared process namespace must.
	go func() {
		children := make(chan os.Signal, 8)
		signal.Notify(children, syscall.SIGCHLD)
		for range children {
			for {
				pid, err := syscall.Wait4(-1, nil, syscall.WNOHANG, nil)
				if pid <= 0 || err != nil {
					break
				}
			}
		}
	}()
	<-stop
}
