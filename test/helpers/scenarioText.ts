/** A small scenario in the format of scenario.md (ghost-post's shape), for tests that parse text. */
export const YAML_TEXT = `name: ghost-post
duration: 10m
cluster:
  leader: { region: us-east }
  replicas:
    - name: us-west
      region: us-west
      lag: { dist: lognormal, median: 300ms, p99: 1.2s }
network:
  latency:
    us-east/us-west: 35ms
clients:
  - name: users
    region: us-west
    sessions: 500
    think: { dist: exponential, mean: 3s }
    actions:
      - { weight: 1, do: write, key: new }
      - { weight: 3, do: read, key: lastWritten }
`;
