enum ZooKeeperServerPlaceholder {}
