print("zoostack")
