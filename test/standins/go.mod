// Stand-in images of the three services, for the real-node tier of the cluster tests (SPEC S10).
// Test fixtures only: images for real deployments are inputs the project never builds.
module todo-stack/test/standins

go 1.26.0
