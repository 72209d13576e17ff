/// Placeholder until the client lands.
enum ZooKeeperClientPlaceholder {}
