# Notes 002 "UDP发送飞秋消息". Faithful copy, with `def main()` given the colon it lacks in the
# notes (without it Python refuses the file). For the tests the address is 127.0.0.1 and the
# port comes from the command line (the notes send to "192.168.113." + str(i), port 2425).
import socket
import sys
def main():
    # 发送飞秋消息
    udp_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    i =116
    while True:
        str1 = input("请输入内容:")
        str2 = "1:324244:小道士:ubuntu:32:" + str1
        ip_num = "127.0.0.1"
        udp_socket.sendto((str2).encode("gbk"),(ip_num,int(sys.argv[1])))
    udp_socket.close()
if __name__ == '__main__':
    main()
