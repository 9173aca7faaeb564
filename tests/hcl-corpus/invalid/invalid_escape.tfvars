path = "C:\windows"
