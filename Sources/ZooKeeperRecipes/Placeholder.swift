enum ZooKeeperRecipesPlaceholder {}
