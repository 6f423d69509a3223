# Notes 002 "UDP简单聊天案例". Faithful copy; for the tests it binds 127.0.0.1 on the port of
# argv[1] (the notes: ("", 6666)), and one added print says when it is ready.
import socket
import sys
def jieshou(udp_socket):
    data, remote_address = udp_socket.recvfrom(1024)
    print("收到来自%s的数据:%s" % (str(remote_address), data.decode()))
    udp_socket.sendto(data, remote_address)
def fasong(udp_socket):
    ip = input("IP地址:")
    prot = int(input("端口:"))
    book = input("输入内容")
    udp_socket.sendto(book.encode(),(ip, prot))
def print_menu():
    """菜单"""
    print("请选择功能:1.发送信息 2.接受信息 3.退出")
def main():
    """显示界面"""
    udp_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp_socket.bind(("127.0.0.1", int(sys.argv[1])))
    print("listening on", udp_socket.getsockname(), flush=True)  # (added for the tests)
    while True:
        print_menu()
        num = input("请选择额:")
        if num == "1":
            fasong(udp_socket)
        elif num =="2":
            jieshou(udp_socket)
        elif num == "3":
            break
        else:
            print("输入错误哦")
    udp_socket.close()
if __name__ == '__main__':
    main()
