// The small tools of the real-node tier (SPEC S10), standard library only: the sandbox (pause)
// process and imagepack, which packs OCI image archives for containerd without a registry or Docker.
module todo-stack/cluster/nodetools

go 1.26.0
