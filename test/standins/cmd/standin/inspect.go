package main

import (
	"bufio"
	"encoding/json"
	"io"
	"os"
	"strings"
	"syscall"
)

// inspect prints how the kernel sees PID 1 of this container (the service's own process): its
// ids, capabilities, no_new_privs and seccomp mode from /proc/1/status, whether the root and
// /tmp are writable, and whether a service-account token is mounted.
func inspect(out io.Writer) {
	status := map[string]string{}
	if f, err := os.Open("/proc/1/status"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok {
				status[k] = strings.TrimSpace(v)
			}
		}
		f.Close()
	}
	pick := func(keys ...string) map[string]string {
		m := map[string]string{}
		for _, k := range keys {
			m[k] = status[k]
		}
		return m
	}
	root := syscall.Statfs_t{}
	_ = syscall.Statfs("/", &root)
	_, tokenErr := os.Stat("/var/run/secrets/kubernetes.io/serviceaccount/token")
	report := map[string]any{
		"pid1":                pick("Name", "Uid", "Gid", "Groups", "CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb", "NoNewPrivs", "Seccomp", "Seccomp_filters"),
		"rootReadOnly":        root.Flags&1 == 1, // ST_RDONLY
		"rootWritable":        writable("/"),
		"tmpWritable":         writable("/tmp"),
		"serviceAccountToken": tokenErr == nil,
	}
	_ = json.NewEncoder(out).Encode(report)
}

func writable(dir string) bool {
	f, err := os.CreateTemp(dir, ".inspect-")
	if err != nil {
		return false
	}
	f.Close()
	_ = os.Remove(f.Name())
	return true
}
