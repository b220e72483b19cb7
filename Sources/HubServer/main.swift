print("hub: not yet")
